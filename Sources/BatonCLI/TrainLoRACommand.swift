import Base
import CommandKit
import Foundation
import Runtime
import Training

/// `baton train lora BASE.gguf --data train.jsonl --out adapter.gguf`: LoRA fine-tuning over
/// the frozen base on the CPU, writing an adapter in llama.cpp's GGUF format.
struct TrainLoRACommand: TableCommand {
    static let abstract = "Train a LoRA adapter on chat-format JSONL or prompt,completion CSV."
    static let options = OptionTable("baton train lora", [
        .positional("BASE.gguf"),
        .option("data", value: "FILE", help: "The training examples: chat-format JSONL or a prompt,completion CSV.", required: true, missing: "--data and --out are required"),
        .option("out", value: "FILE", help: "Where the adapter is written (GGUF LoRA).", required: true, missing: "--data and --out are required"),
        .option("valid", value: "FILE", help: "Held-out examples for the validation loss (JSONL or CSV)."),
        .option("rank", value: "N", help: "LoRA rank (default 8)."),
        .option("alpha", value: "X", help: "LoRA alpha; the update is scaled by alpha/rank (default 16)."),
        .option("targets", value: "LIST", help: "Comma-separated, from attn_q,attn_k,attn_v,attn_output,ffn_gate,ffn_up,ffn_down (default all)."),
        .option("epochs", value: "N", help: "Passes over the data (default 1)."),
        .option("lr", value: "X", help: "Peak AdamW learning rate (default 2e-4)."),
        .option("schedule", value: "constant|cosine", help: "constant or cosine (to 0 at the last step) after the warmup (default constant)."),
        .option("warmup", value: "N", help: "Steps of linear warmup from 0 (default 0)."),
        .option("dropout", value: "P", help: "LoRA dropout on each adapted product's input while training, seeded (default 0)."),
        .option("seq-len", value: "N", help: "Longest example in tokens; longer ones are skipped and counted (default 512)."),
        .option("batch-tokens", value: "N", help: "Tokens per optimizer step, examples accumulated (default 4096)."),
        .option("seed", value: "N", help: "Seed of the initialization and the shuffle (default 0)."),
        .workerThreads,
        .option("checkpoint-every", value: "N", help: "Write a checkpoint every N steps (default: only on Ctrl-C)."),
        .option("checkpoint", value: "FILE", help: "Where checkpoints go (default: OUT with .checkpoint.gguf)."),
        .option("resume", value: "FILE", help: "Continue from a checkpoint of the same base, data and settings."),
        .flag("json", help: "One JSON object per line on stdout (step, validation, checkpoint, done)."),
    ])
    static let discussion = """
        Trains the LoRA A/B matrices of TARGETS in every layer of the frozen BASE model on the
        assistant turns of --data (one {"messages": [{"role": ..., "content": ...}, ...]} per
        line, as `baton dataset export` writes, or a .csv file with the columns prompt and
        completion and optionally system, UTF-8 or CP949; rendered with the model's chat template)
        and writes the adapter to --out in llama.cpp's GGUF LoRA format, with the base and data
        SHA-256 and the hyperparameters. Progress (step, loss, learning rate, tokens/s, ETA) goes
        to stderr, the validation loss after each epoch. Ctrl-C writes a checkpoint and exits 130;
        `--resume` continues from it with the same steps as an uninterrupted run. A non-finite loss
        stops the run (exit 1), naming the last good checkpoint, which is left intact.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1 else { throw UsageError(message: "expected the BASE model path", usage: usage) }
        guard let data = parsed.value("data"), let out = parsed.value("out") else { throw UsageError(message: "--data and --out are required", usage: usage) }
        func number<T: LosslessStringConvertible & Comparable>(_ name: String, _ fallback: T, minimum: T) throws -> T {
            guard let text = parsed.value(name) else { return fallback }
            guard let value = T(text), value >= minimum else { throw UsageError(message: "--\(name) must be a number of at least \(minimum), got '\(text)'", usage: usage) }
            return value
        }
        let rank: Int = try number("rank", 8, minimum: 1), alpha: Float = try number("alpha", 16, minimum: 0)
        let epochs: Int = try number("epochs", 1, minimum: 1), learningRate: Float = try number("lr", 2e-4, minimum: 0)
        let sequenceLength: Int = try number("seq-len", 512, minimum: 2), batchTokens: Int = try number("batch-tokens", 4096, minimum: 1)
        let seed: UInt64 = try number("seed", 0, minimum: 0), threads: Int? = try parsed.value("threads").map { _ in try number("threads", 1, minimum: 1) }
        let warmup: Int = try number("warmup", 0, minimum: 0), dropout: Float = try number("dropout", 0, minimum: 0)
        guard dropout < 1 else { throw UsageError(message: "--dropout must be below 1, got '\(parsed.value("dropout") ?? "")'", usage: usage) }
        let every: Int? = try parsed.value("checkpoint-every").map { _ in try number("checkpoint-every", 1, minimum: 1) }
        var schedule = LearningRateSchedule.constant
        if let text = parsed.value("schedule") {
            guard let value = LearningRateSchedule(rawValue: text) else {
                let names = LearningRateSchedule.allCases.map(\.rawValue)
                throw UsageError(message: "unknown schedule '\(text)'\(Suggestion.hint(for: text, in: names)) (expected constant or cosine)", usage: usage)
            }
            schedule = value
        }
        var targets = LoRATarget.allCases
        if let list = parsed.value("targets") {
            targets = []
            for name in list.split(separator: ",") {
                guard let target = LoRATarget(rawValue: String(name)) else { throw UsageError(message: "unknown target '\(name)'", usage: usage) }
                targets.append(target)
            }
        }
        let checkpointPath = parsed.value("checkpoint") ?? (out.hasSuffix(".gguf") ? String(out.dropLast(5)) : out) + ".checkpoint.gguf"
        let progress = TrainProgress(json: parsed.flag("json"))
        // Named as workflows and `baton model` name models: a path, or a file in the model folder.
        let path = ModelRunOptions.locate(parsed.positionals[0])
        do {
            let file = try GGUFFile(path: path)
            let tokenizer = try Tokenizer(file: file)
            let template = try ChatTemplate(file: file, tokenizer: tokenizer)
            let train = try TrainingDataFile.read(data, template: template, tokenizer: tokenizer, sequenceLength: sequenceLength)
            let valid = try parsed.value("valid").map { path throws(TrainingError) in
                try TrainingDataFile.read(path, template: template, tokenizer: tokenizer, sequenceLength: sequenceLength)
            }
            for (name, set) in [(data, train)] + (valid.map { [(parsed.value("valid") ?? "", $0)] } ?? []) where !set.skippedTooLong.isEmpty {
                printError("warning: \(name): skipped \(set.skippedTooLong.count) examples longer than --seq-len \(sequenceLength) (lines \(set.skippedTooLong.prefix(10).map(String.init).joined(separator: ", ")))")
            }
            let trainer = try LoRATrainer(base: file, rank: rank, alpha: alpha, targets: targets,
                                          optimizer: AdamWSettings(learningRate: learningRate), seed: seed, threads: threads)
            trainer.dropout = dropout
            let baseHash = try hash(path), dataHash = try hash(data)
            let identity = TrainingIdentity(baseSHA256: baseHash, dataSHA256: dataHash, rank: rank, alpha: alpha, targets: targets,
                                            seed: seed, batchTokens: batchTokens, dropout: dropout)
            var start = TrainingPosition()
            if let resume = parsed.value("resume") {
                start = try TrainingCheckpoint.resume(resume, into: trainer, identity: identity, basePath: path, dataPath: data)
                if !progress.json { printError("resuming from \(resume) at step \(start.step) (epoch \(start.epoch))") }
            }
            let loop = TrainingLoop(trainer: trainer, examples: train.examples, valid: valid?.examples,
                                    settings: .init(epochs: epochs, learningRate: learningRate, schedule: schedule, warmup: warmup,
                                                    checkpointEvery: every, checkpointPath: checkpointPath),
                                    identity: identity)
            // Ctrl-C (or SIGTERM) is honoured between steps: a checkpoint, then exit 130 (143).
            let interrupted = TrainingInterrupt()
            let signals = TerminationSignals { interrupted.set($0) }
            let outcome = try loop.run(from: start, shouldStop: { interrupted.signal != nil }, report: progress.report)
            signals.cancel()
            if outcome.stopped {
                let name = interrupted.signal ?? "SIGINT"
                printError("\(name): stopped at step \(outcome.position.step) of \(outcome.totalSteps); resume with --resume \(checkpointPath)")
                return name == "SIGTERM" ? 143 : 130
            }
            var metadata: [(String, AdapterWriter.Value)] = [
                ("training.base_sha256", .string(baseHash)), ("training.data_sha256", .string(dataHash)),
                ("training.rank", .uint(UInt32(rank))), ("training.epochs", .uint(UInt32(epochs))),
                ("training.learning_rate", .float(learningRate)), ("training.schedule", .string(schedule.rawValue)),
                ("training.warmup", .uint(UInt32(warmup))), ("training.dropout", .float(dropout)), ("training.sequence_length", .uint(UInt32(sequenceLength))),
                ("training.batch_tokens", .uint(UInt32(batchTokens))), ("training.seed", .uint(UInt32(truncatingIfNeeded: seed))),
                ("training.targets", .string(targets.map(\.rawValue).joined(separator: ","))),
                ("training.steps", .uint(UInt32(outcome.position.step))), ("training.examples", .uint(UInt32(train.examples.count))),
                ("training.final_loss", .float(Float(outcome.position.lastLoss))),
            ]
            if let loss = outcome.validLoss { metadata.append(("training.final_valid_loss", .float(Float(loss)))) }
            try AdapterWriter(architecture: file.string("general.architecture") ?? "", metadata: metadata).write(trainer.parameters, to: out)
            let finalLoss = String(format: "%.4f", outcome.position.lastLoss)
            if progress.json {
                printOut("{\"event\":\"done\",\"adapter\":\(JSONText.quoted(out)),\"steps\":\(outcome.position.step),\"final_loss\":\(JSONText.number(outcome.position.lastLoss)),"
                    + "\"final_valid_loss\":\(outcome.validLoss.map { JSONText.number($0) } ?? "null"),\"data_sha256\":\(JSONText.quoted(dataHash))}")
            } else {
                printOut("wrote \(out): \(trainer.parameters.matrices.count) matrices, rank \(rank), \(outcome.position.step) steps, final loss \(finalLoss)")
            }
            return 0
        } catch let error as UsageError {
            throw error
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func hash(_ path: String) throws -> String {
        do { return try SHA256.hash(fileAt: path).hex } catch {
            throw TrainingError(file: path, message: "cannot read the file: \(SystemErrorText.describe(error))")
        }
    }
}

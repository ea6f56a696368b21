import Base
import CommandKit
import Foundation
import Runtime
import Training

/// `baton train lora BASE.gguf --data train.jsonl --out adapter.gguf`: LoRA fine-tuning over
/// the frozen base on the CPU, writing an adapter in llama.cpp's GGUF format.
struct TrainLoRACommand: Command {
    static let name = "lora"
    static let abstract = "Train a LoRA adapter on chat-format JSONL."
    static let usage = "USAGE: baton train lora BASE.gguf --data FILE --out FILE [--valid FILE] [--rank N] [--alpha X] [--targets LIST] [--epochs N] [--lr X] [--seq-len N] [--batch-tokens N] [--seed N] [--threads N]"
    static let help = """
        \(usage)

        Trains the LoRA A/B matrices of TARGETS in every layer of the frozen BASE model on the
        assistant turns of --data (one {"messages": [{"role": ..., "content": ...}, ...]} per
        line, as `baton dataset export` writes, or a .csv file with the columns prompt and
        completion and optionally system, UTF-8 or CP949; rendered with the model's chat template) and writes the adapter to --out in
        llama.cpp's GGUF LoRA format, with the base and data SHA-256 and the hyperparameters.
        Progress (step, loss, tokens/s) goes to stderr; the validation loss after each epoch.

        OPTIONS:
          --valid FILE        Held-out examples for the validation loss (JSONL or CSV).
          --rank N            LoRA rank (default 8).
          --alpha X           LoRA alpha; the update is scaled by alpha/rank (default 16).
          --targets LIST      Comma-separated, from attn_q,attn_k,attn_v,attn_output,ffn_gate,ffn_up,ffn_down (default all).
          --epochs N          Passes over the data (default 1).
          --lr X              AdamW learning rate (default 2e-4).
          --seq-len N         Longest example in tokens; longer ones are skipped and counted (default 512).
          --batch-tokens N    Tokens per optimizer step, examples accumulated (default 4096).
          --seed N            Seed of the initialization and the shuffle (default 0).
          --threads N         Worker threads (default: all cores).
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["data", "valid", "out", "rank", "alpha", "targets", "epochs", "lr", "seq-len", "batch-tokens", "seed", "threads"], booleans: [], usage: usage)
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
        var targets = LoRATarget.allCases
        if let list = parsed.value("targets") {
            targets = []
            for name in list.split(separator: ",") {
                guard let target = LoRATarget(rawValue: String(name)) else { throw UsageError(message: "unknown target '\(name)'", usage: usage) }
                targets.append(target)
            }
        }
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
            var order = Array(train.examples.indices), state = seed, step = 0, lastLoss = Double.nan, lastValid = Double.nan
            for epoch in 1...epochs {
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
                }
                var start = 0
                while start < order.count {
                    var batch: [TrainingExample] = [], tokens = 0
                    while start < order.count, batch.isEmpty || tokens + train.examples[order[start]].tokens.count <= batchTokens {
                        batch.append(train.examples[order[start]])
                        tokens += batch[batch.count - 1].tokens.count
                        start += 1
                    }
                    let began = Date()
                    lastLoss = try trainer.step(batch)
                    step += 1
                    let rate = Double(tokens) / max(Date().timeIntervalSince(began), 1e-9)
                    printError(String(format: "epoch %d step %d  loss %.4f  %.0f tok/s", epoch, step, lastLoss, rate))
                }
                if let valid {
                    lastValid = try trainer.loss(of: valid.examples)
                    printError(String(format: "epoch %d  validation loss %.4f", epoch, lastValid))
                }
            }
            var metadata: [(String, AdapterWriter.Value)] = [
                ("training.base_sha256", .string(try SHA256.hash(fileAt: path).description)),
                ("training.data_sha256", .string(try SHA256.hash(fileAt: data).description)),
                ("training.rank", .uint(UInt32(rank))), ("training.epochs", .uint(UInt32(epochs))),
                ("training.learning_rate", .float(learningRate)), ("training.sequence_length", .uint(UInt32(sequenceLength))),
                ("training.batch_tokens", .uint(UInt32(batchTokens))), ("training.seed", .uint(UInt32(truncatingIfNeeded: seed))),
                ("training.targets", .string(targets.map(\.rawValue).joined(separator: ","))),
                ("training.steps", .uint(UInt32(step))), ("training.examples", .uint(UInt32(train.examples.count))),
                ("training.final_loss", .float(Float(lastLoss))),
            ]
            if valid != nil { metadata.append(("training.final_valid_loss", .float(Float(lastValid)))) }
            try AdapterWriter(architecture: file.string("general.architecture") ?? "", metadata: metadata).write(trainer.parameters, to: out)
            printOut("wrote \(out): \(trainer.parameters.matrices.count) matrices, rank \(rank), \(step) steps, final loss \(String(format: "%.4f", lastLoss))")
            return 0
        } catch let error as UsageError {
            throw error
        } catch {
            printError("\(error)")
            return 1
        }
    }
}

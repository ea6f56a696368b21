import Base
import CommandKit
import Foundation
import Runtime
import Training

/// `baton bench train --effect`: what a house-style adapter does to SmolLM2. Trains on
/// Examples/training/house-style.train.jsonl (made by Scripts/make-house-style-dataset.py),
/// reports the validation loss before and after, and the share of greedy answers to the
/// held-out prompts that follow the house format by rule, without and with the adapter.
struct TrainEffect {
    var model: String
    var rank: Int
    var threads: Int
    var epochs: Int
    var learningRate: Float
    var batchTokens: Int
    var limit: Int?

    static let folder = "Examples/training/"
    static let signOff = "— Solbit Agency, with care"

    /// The house format, checked by rule: exactly three lines, `Headline: ` and `Copy: ` each
    /// followed by text, then the sign-off.
    static func follows(_ answer: String) -> Bool {
        let lines = answer.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.count == 3 else { return false }
        return lines[0].hasPrefix("Headline: ") && lines[0].count > "Headline: ".count + 2
            && lines[1].hasPrefix("Copy: ") && lines[1].count > "Copy: ".count + 10 && lines[2] == signOff
    }

    /// The prompts of a JSONL file of conversations without answers.
    static func prompts(_ path: String) throws -> [[ChatMessage]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let list = object["messages"] as? [[String: String]] else { throw TrainingError(file: path, message: "expected {\"messages\": [...]} lines") }
            return list.compactMap { entry in
                guard let role = entry["role"].flatMap(ChatMessage.Role.init(rawValue:)), let content = entry["content"] else { return nil }
                return ChatMessage(role: role, content: content)
            }
        }
    }

    func run() throws -> Int32 {
        let clock = ContinuousClock(), began = clock.now
        let file = try GGUFFile(path: model)
        let tokenizer = try Tokenizer(file: file)
        let template = try ChatTemplate(file: file, tokenizer: tokenizer)
        var train = try ChatDataset(path: Self.folder + "house-style.train.jsonl", template: template, tokenizer: tokenizer, sequenceLength: 512)
        if let limit { train.examples = Array(train.examples.prefix(limit)) }
        let valid = try ChatDataset(path: Self.folder + "house-style.valid.jsonl", template: template, tokenizer: tokenizer, sequenceLength: 512)
        let prompts = try Self.prompts(Self.folder + "house-style.heldout.jsonl")
        let trainer = try LoRATrainer(base: file, rank: rank, alpha: Float(2 * rank), threads: threads)
        let before = try trainer.loss(of: valid.examples)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-effect-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let identity = TrainingIdentity(baseSHA256: "", dataSHA256: "", rank: rank, alpha: Float(2 * rank), targets: LoRATarget.allCases,
                                        seed: 0, batchTokens: batchTokens)
        let loop = TrainingLoop(trainer: trainer, examples: train.examples, valid: valid.examples,
                                settings: .init(epochs: epochs, learningRate: learningRate, schedule: .cosine, warmup: 3,
                                                checkpointPath: scratch.appendingPathComponent("c.gguf").path),
                                identity: identity)
        var epochSeconds: [Double] = [], epochStart = clock.now, tokens = 0
        let outcome = try loop.run(report: { event in
            switch event {
            case .step(let s):
                tokens += s.tokens
                printError(String(format: "epoch %d step %d/%d  loss %.4f  %.0f tok/s  ETA ", s.epoch, s.step, s.totalSteps, s.loss, s.tokensPerSecond)
                    + s.etaText)
            case .validation(let epoch, let loss):
                epochSeconds.append(TrainBench.seconds(clock.now - epochStart))
                epochStart = clock.now
                printError(String(format: "epoch %d  validation loss %.4f", epoch, loss))
            case .checkpoint: break
            }
        })
        let after = outcome.validLoss ?? before
        let adapterPath = scratch.appendingPathComponent("house-style.gguf").path
        try AdapterWriter(architecture: file.string("general.architecture") ?? "").write(trainer.parameters, to: adapterPath)

        let chat = try ChatModel(path: model, contextLength: 1024, threads: threads)
        let adapter = try chat.adapter(path: adapterPath)
        var plain = 0, tuned = 0, example: (String, String)?
        for messages in prompts {
            let without = try chat.complete(ChatRequest(messages: messages, sampling: .greedy, maxTokens: 80)).text
            let with = try chat.complete(ChatRequest(messages: messages, sampling: .greedy, maxTokens: 80, adapters: [ScaledLoRA(adapter)])).text
            if Self.follows(without) { plain += 1 }
            if Self.follows(with) { tuned += 1 }
            if example == nil { example = (without, with) }
        }
        let drop = (before - after) / before
        printOut("train effect: \((model as NSString).lastPathComponent), \(train.examples.count) examples, \(epochs) epochs, rank \(rank), lr \(learningRate) cosine, \(batchTokens) tokens a step, \(threads) threads")
        printOut(String(format: "  validation loss: %.4f -> %.4f (%.1f%% lower; goal >= 30%%)", before, after, drop * 100))
        printOut(String(format: "  house format, greedy, %d held-out prompts: %d%% without the adapter (goal < 20%%), %d%% with it (goal >= 80%%)",
                        prompts.count, plain * 100 / max(prompts.count, 1), tuned * 100 / max(prompts.count, 1)))
        printOut(String(format: "  one epoch: %.0f s (%d tokens in %d steps); whole run %.0f s", epochSeconds.first ?? 0, tokens / max(epochs, 1),
                        outcome.position.step / max(epochs, 1), TrainBench.seconds(clock.now - began)))
        if let example {
            printOut("  first held-out prompt without the adapter: " + example.0.replacingOccurrences(of: "\n", with: " | "))
            printOut("  and with it:                              " + example.1.replacingOccurrences(of: "\n", with: " | "))
        }
        return 0
    }
}

import Foundation
import Runtime

/// What a training run is of: a checkpoint carries it, and `--resume` refuses a checkpoint of
/// anything else (another base, other data, other shapes or another batch order), naming which.
public struct TrainingIdentity: Sendable, Equatable {
    public var baseSHA256: String
    public var dataSHA256: String
    public var rank: Int
    public var alpha: Float
    public var targets: [LoRATarget]
    public var seed: UInt64
    public var batchTokens: Int
    public var dropout: Float

    public init(baseSHA256: String, dataSHA256: String, rank: Int, alpha: Float, targets: [LoRATarget], seed: UInt64, batchTokens: Int,
                dropout: Float = 0) {
        self.dropout = dropout
        self.baseSHA256 = baseSHA256
        self.dataSHA256 = dataSHA256
        self.rank = rank
        self.alpha = alpha
        self.targets = targets
        self.seed = seed
        self.batchTokens = batchTokens
    }
}

/// Where a run stands: enough to continue exactly where it stopped.
public struct TrainingPosition: Sendable, Equatable {
    /// Optimizer steps taken.
    public var step: Int
    /// The epoch in progress, 1-based.
    public var epoch: Int
    /// Examples of that epoch's (seeded) order already trained on.
    public var offset: Int
    /// The loss of the last step taken (NaN before the first).
    public var lastLoss: Double

    public init(step: Int = 0, epoch: Int = 1, offset: Int = 0, lastLoss: Double = .nan) {
        self.step = step
        self.epoch = epoch
        self.offset = offset
        self.lastLoss = lastLoss
    }
}

/// A checkpoint: the adapter (A/B, so Baton can load it as an adapter too), the AdamW moments as
/// `<tensor>.lora_a.adam_m` / `.adam_v` (and `lora_b`'s), and `checkpoint.*` metadata (the
/// identity and the position). Written like adapters: a temporary file renamed over the last one.
public enum TrainingCheckpoint {
    public static func write(_ trainer: LoRATrainer, identity: TrainingIdentity, position: TrainingPosition, to path: String) throws(TrainingError) {
        let optimizer = trainer.optimizer, rank = trainer.parameters.rank
        var extra: [AdapterWriter.ExtraTensor] = []
        for (index, m) in trainer.parameters.matrices.enumerated() {
            let first = optimizer.first.matrices[index], second = optimizer.second.matrices[index]
            extra += [
                .init(name: m.tensor + ".lora_a.adam_m", shape: [m.input, rank], buffer: first.a),
                .init(name: m.tensor + ".lora_a.adam_v", shape: [m.input, rank], buffer: second.a),
                .init(name: m.tensor + ".lora_b.adam_m", shape: [rank, m.output], buffer: first.b),
                .init(name: m.tensor + ".lora_b.adam_v", shape: [rank, m.output], buffer: second.b),
            ]
        }
        let metadata: [(String, AdapterWriter.Value)] = [
            ("checkpoint.base_sha256", .string(identity.baseSHA256)), ("checkpoint.data_sha256", .string(identity.dataSHA256)),
            ("checkpoint.rank", .uint(UInt32(identity.rank))), ("checkpoint.targets", .string(identity.targets.map(\.rawValue).joined(separator: ","))),
            ("checkpoint.seed", .string(String(identity.seed))), ("checkpoint.batch_tokens", .uint(UInt32(identity.batchTokens))),
            ("checkpoint.dropout", .float(identity.dropout)),
            ("checkpoint.step", .uint(UInt32(position.step))), ("checkpoint.epoch", .uint(UInt32(position.epoch))),
            ("checkpoint.offset", .uint(UInt32(position.offset))), ("checkpoint.optimizer_steps", .uint(UInt32(optimizer.steps))),
            // As text: the Double exactly, so a resumed run reports the loss it stopped at.
            ("checkpoint.last_loss", .string(String(position.lastLoss))),
        ]
        try AdapterWriter(architecture: trainer.architecture, metadata: metadata).write(trainer.parameters, extra: extra, to: path, what: "checkpoint")
    }

    /// Reads the checkpoint at `path`, refuses it unless it is of `identity` (the message names
    /// what differs, with `basePath` and `dataPath` for the hashes), and loads its A/B and AdamW
    /// state into `trainer`. Returns where the run stood.
    public static func resume(_ path: String, into trainer: LoRATrainer, identity: TrainingIdentity,
                              basePath: String, dataPath: String) throws(TrainingError) -> TrainingPosition {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw TrainingError(file: path, message: "not a readable checkpoint: \(error.message)") }
        guard let base = file.string("checkpoint.base_sha256"), let data = file.string("checkpoint.data_sha256"),
              let step = file.int("checkpoint.step"), let epoch = file.int("checkpoint.epoch"), let offset = file.int("checkpoint.offset"),
              let steps = file.int("checkpoint.optimizer_steps") else {
            throw TrainingError(file: path, message: "not a training checkpoint (no checkpoint.* metadata; an adapter cannot be resumed)")
        }
        func short(_ hash: String) -> String { String(hash.prefix(12)) }
        guard base == identity.baseSHA256 else {
            throw TrainingError(file: path, message: "the checkpoint was trained on another base model (sha256 \(short(base))…), not \(basePath) (sha256 \(short(identity.baseSHA256))…)")
        }
        guard data == identity.dataSHA256 else {
            throw TrainingError(file: path, message: "the checkpoint was trained on other data (sha256 \(short(data))…), not \(dataPath) (sha256 \(short(identity.dataSHA256))…)")
        }
        let settings: [(String, String?, String)] = [
            ("--rank", file.int("checkpoint.rank").map(String.init), String(identity.rank)),
            ("--alpha", file.float("adapter.lora.alpha").map { String($0) }, String(identity.alpha)),
            ("--targets", file.string("checkpoint.targets"), identity.targets.map(\.rawValue).joined(separator: ",")),
            ("--seed", file.string("checkpoint.seed"), String(identity.seed)),
            ("--batch-tokens", file.int("checkpoint.batch_tokens").map(String.init), String(identity.batchTokens)),
            ("--dropout", file.float("checkpoint.dropout").map { String($0) }, String(identity.dropout)),
        ]
        for (option, stored, given) in settings where stored != given {
            throw TrainingError(file: path, message: "the checkpoint was trained with \(option) \(stored ?? "missing"), not \(given)")
        }
        try trainer.parameters.load(file)
        try trainer.optimizer.first.load(file, suffix: ".adam_m")
        try trainer.optimizer.second.load(file, suffix: ".adam_v")
        trainer.optimizer.steps = Int(steps)
        return TrainingPosition(step: Int(step), epoch: Int(epoch), offset: Int(offset), lastLoss: file.string("checkpoint.last_loss").flatMap(Double.init) ?? .nan)
    }
}

import Foundation
import Testing
import Runtime
@testable import Training

/// The training loop's robustness: a run stopped and resumed from its checkpoint takes exactly the
/// steps of an uninterrupted run; a checkpoint of another base, other data or other settings is
/// refused by name; a non-finite loss stops the run naming the last good checkpoint, which stays
/// intact, as it does when writing the next checkpoint fails.
@Suite struct TrainingLoopTests {
    let reference: TorchReference
    let examples: [TrainingExample]
    let folder: URL

    init() throws {
        let reference = try TorchReference("llama-f32")
        self.reference = reference
        // Eight sequences from the reference batch, shifted so that no two are the same.
        examples = (0..<8).map { i in
            let source = reference.batch[i % 3]
            return TrainingExample(tokens: source.tokens.map { ($0 + 7 * i) % 256 }, mask: source.mask)
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-train-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var identity: TrainingIdentity {
        TrainingIdentity(baseSHA256: "b" + String(repeating: "0", count: 63), dataSHA256: "d" + String(repeating: "0", count: 63),
                         rank: reference.rank, alpha: reference.alpha, targets: LoRATarget.allCases, seed: 3, batchTokens: 24)
    }

    func loop(_ trainer: LoRATrainer, learningRate: Float = 1e-2, every: Int? = nil, checkpoint: String = "run.checkpoint.gguf",
              identity: TrainingIdentity? = nil) -> TrainingLoop {
        TrainingLoop(trainer: trainer, examples: examples, valid: Array(examples.prefix(2)),
                     settings: .init(epochs: 2, learningRate: learningRate, schedule: .cosine, warmup: 2, checkpointEvery: every,
                                     checkpointPath: folder.appendingPathComponent(checkpoint).path),
                     identity: identity ?? self.identity)
    }

    func losses(_ events: [TrainingLoop.Event]) -> [Double] {
        events.compactMap { if case .step(let report) = $0 { return report.loss } else { return nil } }
    }

    @Test func aStoppedRunResumedFromItsCheckpointTakesTheSameSteps() throws {
        var straight: [TrainingLoop.Event] = []
        let whole = try reference.trainer()
        let done = try loop(whole).run(report: { straight.append($0) })
        #expect(!done.stopped)
        #expect(done.position.step == done.totalSteps && done.totalSteps >= 6)

        var first: [TrainingLoop.Event] = [], taken = 0
        let stopped = try loop(try reference.trainer()).run(shouldStop: { taken >= 4 }, report: {
            if case .step = $0 { taken += 1 }
            first.append($0)
        })
        #expect(stopped.stopped && stopped.position.step == 4)
        #expect(first.last == .checkpoint(path: folder.appendingPathComponent("run.checkpoint.gguf").path, step: 4))

        // A fresh trainer (another initialization seed, even) continues from the checkpoint.
        let fresh = try LoRATrainer(base: GGUFFile(path: reference.base), rank: reference.rank, alpha: reference.alpha,
                                    optimizer: reference.optimizer, seed: 99, threads: 2)
        let position = try TrainingCheckpoint.resume(folder.appendingPathComponent("run.checkpoint.gguf").path, into: fresh, identity: identity,
                                                     basePath: reference.base, dataPath: "data.jsonl")
        #expect(position == stopped.position)
        var rest: [TrainingLoop.Event] = []
        let finished = try loop(fresh).run(from: position, report: { rest.append($0) })
        #expect(finished.position.step == done.position.step)
        #expect(losses(first) + losses(rest) == losses(straight))
        for m in whole.parameters.matrices {
            #expect(fresh.parameters.values(of: m.tensor)?.a == m.a.array)
            #expect(fresh.parameters.values(of: m.tensor)?.b == m.b.array)
        }
        #expect(finished.validLoss == done.validLoss)
    }

    @Test func resumeRefusesAnotherBaseOtherDataAndOtherSettingsByName() throws {
        let path = folder.appendingPathComponent("run.checkpoint.gguf").path
        _ = try loop(try reference.trainer()).run(shouldStop: { true })
        var other = identity
        other.baseSHA256 = "e" + String(repeating: "1", count: 63)
        #expect(throws: TrainingError(file: path, message: "the checkpoint was trained on another base model (sha256 b00000000000…), not other.gguf (sha256 e11111111111…)")) {
            try TrainingCheckpoint.resume(path, into: try reference.trainer(), identity: other, basePath: "other.gguf", dataPath: "data.jsonl")
        }
        other = identity
        other.dataSHA256 = "f" + String(repeating: "2", count: 63)
        #expect(throws: TrainingError(file: path, message: "the checkpoint was trained on other data (sha256 d00000000000…), not new.jsonl (sha256 f22222222222…)")) {
            try TrainingCheckpoint.resume(path, into: try reference.trainer(), identity: other, basePath: "base.gguf", dataPath: "new.jsonl")
        }
        other = identity
        other.batchTokens = 48
        #expect(throws: TrainingError(file: path, message: "the checkpoint was trained with --batch-tokens 24, not 48")) {
            try TrainingCheckpoint.resume(path, into: try reference.trainer(), identity: other, basePath: "base.gguf", dataPath: "data.jsonl")
        }
    }

    /// A learning rate of 1e30 blows the weights up within a few steps: the run stops at the first
    /// non-finite loss, and the checkpoint of the last good step is still there and loads.
    @Test func aNonFiniteLossStopsNamingTheLastGoodCheckpoint() throws {
        let path = folder.appendingPathComponent("run.checkpoint.gguf").path
        var events: [TrainingLoop.Event] = []
        let trainer = try reference.trainer()
        do {
            _ = try loop(trainer, learningRate: 1e30, every: 1).run(report: { events.append($0) })
            Issue.record("expected the run to stop")
        } catch {
            let saved = try #require(events.compactMap { if case .checkpoint(_, let step) = $0 { return step } else { return nil } }.last)
            #expect(error.message.hasPrefix("step \(saved + 1): the "), "\(error.message)")
            #expect(error.message.hasSuffix("; training stopped; the last good checkpoint is \(path) (step \(saved))"), "\(error.message)")
            let position = try TrainingCheckpoint.resume(path, into: try reference.trainer(), identity: identity, basePath: "b", dataPath: "d")
            #expect(position.step == saved && position.lastLoss.isFinite)
        }
    }

    /// The next checkpoint cannot be written (its temporary path is taken by a folder): the run
    /// stops with the error and the previous checkpoint is byte for byte what it was.
    @Test func aFailedCheckpointWriteLeavesThePreviousOneIntact() throws {
        let path = folder.appendingPathComponent("run.checkpoint.gguf").path
        var written = Data()
        let trainer = try reference.trainer()
        do {
            _ = try loop(trainer, every: 2).run(report: { event in
                if case .checkpoint = event, written.isEmpty {
                    written = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
                    try? FileManager.default.createDirectory(atPath: path + ".partial", withIntermediateDirectories: false)
                }
            })
            Issue.record("expected the second checkpoint to fail")
        } catch {
            #expect(error.file == path)
            #expect(error.message.hasPrefix("cannot write the checkpoint (\(path).partial): "), "\(error.message)")
        }
        #expect(!written.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == written)
    }

    @Test(arguments: [
        (LearningRateSchedule.constant, [0, 0.5, 1, 1, 1, 1, 1, 1, 1, 1] as [Float]),
        (.cosine, [0, 0.5, 1, 0.9619398, 0.8535534, 0.6913417, 0.5, 0.3086583, 0.1464466, 0.0380602]),
    ])
    func schedulesWarmUpLinearlyThenHoldOrFollowAHalfCosine(_ schedule: LearningRateSchedule, _ expected: [Float]) {
        let rates = (0..<10).map { schedule.rate(step: $0, total: 10, warmup: 2, peak: 1) }
        for (rate, value) in zip(rates, expected) { #expect(abs(rate - value) < 1e-6, "\(rates)") }
    }
}

import Foundation

/// The epochs of a training run: a seeded order per epoch, steps of up to `batchTokens` tokens,
/// the learning-rate schedule, checkpoints every N steps (and when asked to stop), validation
/// after each epoch, and a clear stop on a non-finite loss that points at the last good
/// checkpoint. Resuming from a checkpoint's position gives the same steps as never stopping.
public final class TrainingLoop {
    public struct Settings: Sendable, Equatable {
        public var epochs: Int
        public var learningRate: Float
        public var schedule: LearningRateSchedule
        public var warmup: Int
        /// Write a checkpoint after every N steps; `nil`: only when stopped.
        public var checkpointEvery: Int?
        public var checkpointPath: String

        public init(epochs: Int = 1, learningRate: Float = 2e-4, schedule: LearningRateSchedule = .constant, warmup: Int = 0,
                    checkpointEvery: Int? = nil, checkpointPath: String) {
            self.epochs = epochs
            self.learningRate = learningRate
            self.schedule = schedule
            self.warmup = warmup
            self.checkpointEvery = checkpointEvery
            self.checkpointPath = checkpointPath
        }
    }

    /// One step's figures, for the progress line and `--json`.
    public struct StepReport: Sendable, Equatable {
        public var epoch: Int
        public var step: Int
        public var totalSteps: Int
        public var loss: Double
        public var learningRate: Float
        public var tokens: Int
        /// Seconds this step took, and since the run (or the resume) began.
        public var seconds: Double
        public var elapsed: Double
        /// Steps taken since the run (or the resume) began, for the ETA.
        public var stepsThisRun: Int

        public var tokensPerSecond: Double { Double(tokens) / max(seconds, 1e-9) }
        /// Seconds left at this run's mean pace.
        public var eta: Double { elapsed / Double(max(stepsThisRun, 1)) * Double(totalSteps - step) }
        /// The ETA as a clock: `0:42`, `12:05`, `1:02:09`.
        public var etaText: String {
            guard eta.isFinite else { return "?" }
            let total = Int(eta.rounded()), h = total / 3600, m = total / 60 % 60, s = total % 60
            return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
        }
    }

    public enum Event: Sendable, Equatable {
        case step(StepReport)
        case validation(epoch: Int, loss: Double)
        case checkpoint(path: String, step: Int)
    }

    /// How a run ended: every epoch done, or stopped on request with a checkpoint written.
    public struct Outcome: Sendable, Equatable {
        public var position: TrainingPosition
        public var stopped: Bool
        public var validLoss: Double?
        public var totalSteps: Int
    }

    let trainer: LoRATrainer
    let examples: [TrainingExample]
    let valid: [TrainingExample]?
    let settings: Settings
    let identity: TrainingIdentity

    public init(trainer: LoRATrainer, examples: [TrainingExample], valid: [TrainingExample]?, settings: Settings, identity: TrainingIdentity) {
        self.trainer = trainer
        self.examples = examples
        self.valid = valid
        self.settings = settings
        self.identity = identity
    }

    /// Each epoch's order of `count` examples: one Fisher-Yates shuffle per epoch, each continuing
    /// the last from one seeded generator, so epoch e's order never depends on where a run stopped.
    static func orders(count: Int, epochs: Int, seed: UInt64) -> [[Int]] {
        var order = Array(0..<count), state = seed, result: [[Int]] = []
        for _ in 0..<epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
            }
            result.append(order)
        }
        return result
    }

    /// The steps of one epoch as ranges of its order: examples are added while the step stays
    /// within `batchTokens` tokens (a longer example is a step alone).
    static func batches(_ order: [Int], _ examples: [TrainingExample], batchTokens: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = [], start = 0
        while start < order.count {
            var end = start, tokens = 0
            while end < order.count, end == start || tokens + examples[order[end]].tokens.count <= batchTokens {
                tokens += examples[order[end]].tokens.count
                end += 1
            }
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// Trains from `start` (a checkpoint's position; the beginning by default). `shouldStop` is
    /// asked before every step: when it says yes, a checkpoint is written and the run returns
    /// `stopped`. Errors name the step and the last checkpoint written, which stays intact.
    public func run(from start: TrainingPosition = TrainingPosition(), shouldStop: () -> Bool = { false },
                    report: (Event) -> Void = { _ in }) throws(TrainingError) -> Outcome {
        let orders = Self.orders(count: examples.count, epochs: settings.epochs, seed: identity.seed)
        let plans = orders.map { Self.batches($0, examples, batchTokens: identity.batchTokens) }
        let total = plans.reduce(0) { $0 + $1.count }
        var position = start, lastCheckpoint: (path: String, step: Int)?, validLoss: Double?, stepsThisRun = 0
        let began = Date()

        func checkpoint() throws(TrainingError) {
            try TrainingCheckpoint.write(trainer, identity: identity, position: position, to: settings.checkpointPath)
            lastCheckpoint = (settings.checkpointPath, position.step)
            report(.checkpoint(path: settings.checkpointPath, step: position.step))
        }

        while position.epoch <= settings.epochs {
            let epoch = position.epoch, order = orders[epoch - 1]
            for range in plans[epoch - 1] where range.lowerBound >= position.offset {
                if shouldStop() {
                    try checkpoint()
                    return Outcome(position: position, stopped: true, validLoss: validLoss, totalSteps: total)
                }
                let batch = range.map { examples[order[$0]] }
                let rate = settings.schedule.rate(step: position.step, total: total, warmup: settings.warmup, peak: settings.learningRate)
                let stepBegan = Date()
                let loss: Double
                do { loss = try trainer.step(batch, learningRate: rate) } catch {
                    let kept = lastCheckpoint.map { "; the last good checkpoint is \($0.path) (step \($0.step))" } ?? "; no checkpoint was written"
                    throw TrainingError(file: error.file, line: error.line, message: "step \(position.step + 1): \(error.message)\(kept)")
                }
                position.step += 1
                position.offset = range.upperBound
                position.lastLoss = loss
                stepsThisRun += 1
                let now = Date()
                report(.step(StepReport(epoch: epoch, step: position.step, totalSteps: total, loss: loss, learningRate: rate,
                                        tokens: batch.reduce(0) { $0 + $1.tokens.count }, seconds: now.timeIntervalSince(stepBegan),
                                        elapsed: now.timeIntervalSince(began), stepsThisRun: stepsThisRun)))
                if let every = settings.checkpointEvery, position.step % every == 0 { try checkpoint() }
            }
            if let valid {
                let loss = try trainer.loss(of: valid)
                validLoss = loss
                report(.validation(epoch: epoch, loss: loss))
            }
            position.epoch += 1
            position.offset = 0
        }
        return Outcome(position: position, stopped: false, validLoss: validLoss, totalSteps: total)
    }
}

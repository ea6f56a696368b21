import Synchronization

/// The first termination signal a training run received, set from the signal queue and read by
/// the training loop between steps.
final class TrainingInterrupt: Sendable {
    private let received = Mutex<String?>(nil)

    /// Records `name` (`SIGINT`, `SIGTERM`) unless a signal came before.
    func set(_ name: String) { received.withLock { $0 = $0 ?? name } }

    /// The first signal's name, or `nil`.
    var signal: String? { received.withLock { $0 } }
}

import Foundation

/// SIGINT and SIGTERM delivered as events instead of ending the process, so that `baton run`
/// and `baton scheduler` can stop cleanly (record the run `cancelled`, let running runs finish).
struct TerminationSignals {
    private let sources: [DispatchSourceSignal]

    /// Ignores both signals' default action and calls `handler` with the signal's name
    /// (`SIGINT` or `SIGTERM`) each time one arrives, on a global queue.
    init(_ handler: @escaping @Sendable (_ name: String) -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number == SIGINT ? "SIGINT" : "SIGTERM") }
            source.resume()
            return source
        }
    }

    /// Stops delivering the signals to the handler.
    func cancel() {
        for source in sources { source.cancel() }
    }
}

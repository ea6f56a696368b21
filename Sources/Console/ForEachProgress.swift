import Synchronization

/// The `for_each` item counts of the runs this console runs, from the engine's `itemsPlanned`
/// events (the store only learns of an item when it finishes), so the live page can show
/// "3 / 10 items" and an ETA. Runs started elsewhere show items done without a total.
final class ForEachProgress: Sendable {
    /// A step's planned items and how many run at once.
    struct Plan: Sendable, Equatable {
        var total: Int
        var parallel: Int
    }

    private let plans = Mutex<[String: [String: Plan]]>([:])

    func planned(run: String, step: String, _ plan: Plan) {
        plans.withLock { $0[run, default: [:]][step] = plan }
    }

    /// Kept after the run ends (a few integers per step), so a page opened later still shows
    /// the totals.
    func plan(run: String, step: String) -> Plan? { plans.withLock { $0[run]?[step] } }
}

/// The run id an engine's observer learns from `runStarted`, for the events after it.
final class ObservedRunID: Sendable {
    private let id = Mutex<String?>(nil)
    var value: String? {
        get { id.withLock { $0 } }
        set { id.withLock { $0 = newValue } }
    }
}

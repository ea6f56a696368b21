import Audit
import Foundation
import Template

/// Finished attempts an engine may take instead of calling a model, found by the step and the
/// request key recorded with them (`request_key` in an attempt's extra JSON).
///
/// `baton rerun` fills it from the run it re-runs; `baton run --reuse` from earlier runs of the
/// same workflow. Only attempts that succeeded qualify; a unit whose key is not here calls the
/// model as usual. The cache is read-only once made, so it is shared by concurrent units.
public struct ReuseCache: Sendable {
    private let byKey: [Entry: StepAttemptRecord]

    private struct Entry: Hashable {
        var stepID: String
        var key: String
    }

    /// The cache of `attempts` (in store order: a later attempt with the same key wins).
    public init(attempts: [StepAttemptRecord]) {
        var byKey: [Entry: StepAttemptRecord] = [:]
        for attempt in attempts where attempt.status == .succeeded {
            guard let key = Self.requestKey(of: attempt) else { continue }
            byKey[Entry(stepID: attempt.stepID, key: key)] = attempt
        }
        self.byKey = byKey
    }

    /// How many reusable attempts the cache holds.
    public var count: Int { byKey.count }

    /// The finished attempt of step `stepID` that sent the request `key`, if any.
    func attempt(step stepID: String, key: RequestKey) -> StepAttemptRecord? {
        byKey[Entry(stepID: stepID, key: key.text)]
    }

    /// The request key an attempt recorded, if it recorded one.
    public static func requestKey(of attempt: StepAttemptRecord) -> String? {
        guard let json = attempt.extraJSON, case .dict(let extra)? = try? Value(json: Data(json.utf8)),
              case .string(let key)? = extra["request_key"] else { return nil }
        return RequestKey(stored: key)?.text
    }

    /// Where a reused attempt came from, if `attempt` was reused (`reused_from` in its extra JSON).
    public static func origin(of attempt: StepAttemptRecord) -> (run: String, attempt: Int)? {
        guard let json = attempt.extraJSON, case .dict(let extra)? = try? Value(json: Data(json.utf8)),
              case .dict(let origin)? = extra["reused_from"], case .string(let run)? = origin["run"],
              case .int(let number)? = origin["attempt"] else { return nil }
        return (run, number)
    }
}

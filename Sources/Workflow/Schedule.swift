import Foundation
import Template
import Cron

/// When a workflow runs by itself (`schedules:`), for `baton scheduler`.
///
/// ```yaml
/// schedules:
///   - { cron: "0 9 * * MON", timezone: Asia/Seoul, inputs: { week: last }, overlap: skip, catchup: latest }
/// ```
public struct Schedule: Sendable, Equatable {
    /// A stable name: the `id:` written, else `schedule-N` (1-based position), so the scheduler can
    /// keep state per schedule across restarts.
    public var id: String
    /// Five fields or a shortcut (`@weekly`), as written; checked at load time.
    public var cron: String
    /// The parsed expression: `expression.next(after:in:)` gives fire times.
    public var expression: CronExpression
    /// An IANA zone (`Asia/Seoul`); `nil` means the machine's zone (see `timeZone`).
    public var timezone: String?
    /// Input values for the scheduled run (checked against `inputs:` at load time).
    public var inputs: [String: Value] = [:]
    public var overlap: Overlap = .skip
    public var catchup: Catchup = .latest
    public var location: SourceLocation

    /// The zone fire times are computed in: `timezone`, else the machine's.
    public var timeZone: TimeZone {
        timezone.flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
    }

    /// What happens when a fire time comes while the previous run of the schedule still runs.
    public enum Overlap: String, Sendable, Equatable, CaseIterable {
        /// The fire time is skipped (and recorded as skipped).
        case skip
        /// The run starts when the previous one ends.
        case queue
    }

    /// Which fire times missed while the scheduler was down are run when it comes back.
    public enum Catchup: String, Sendable, Equatable, CaseIterable {
        case none
        /// Only the most recent missed fire time (the default).
        case latest
        case all
    }
}

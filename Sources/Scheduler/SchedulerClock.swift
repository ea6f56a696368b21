import Engine
import Foundation
import Synchronization
import Audit

/// The scheduler's sense of time, injected so tests can drive a simulated week in milliseconds
/// (`ManualSchedulerClock`) while the product uses the wall clock (`SystemSchedulerClock`).
public protocol SchedulerClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Returns at `deadline` (or soon after), or earlier when the task is cancelled.
    func sleep(until deadline: Date) async
}

/// The wall clock.
public struct SystemSchedulerClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// A clock that starts at `origin` and runs `speed` times faster than the wall clock.
///
/// Used by `baton scheduler` when `BATON_SCHEDULER_CLOCK=ORIGIN@SPEED` is set, so a process test
/// can watch a real daemon fire a `*/10` schedule every real second (speed 600). Never set it in
/// production.
public struct ScaledSchedulerClock: SchedulerClock {
    public let origin: Date
    public let speed: Double
    private let realStart: Date

    public init(origin: Date, speed: Double) {
        self.origin = origin
        self.speed = max(speed, 0.001)
        self.realStart = Date()
    }

    /// Parses `ORIGIN@SPEED` (`2026-11-30T00:00:00Z@600`, milliseconds allowed); `nil` when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, let speed = Double(parts[1]), speed > 0 else { return nil }
        guard let origin = AuditTime.parse(parts[0]) ?? ISO8601DateFormatter().date(from: parts[0]) else { return nil }
        self.init(origin: origin, speed: speed)
    }

    public func now() -> Date {
        origin.addingTimeInterval(Date().timeIntervalSince(realStart) * speed)
    }

    public func sleep(until deadline: Date) async {
        let seconds = deadline.timeIntervalSince(now()) / speed
        guard seconds > 0 else { return }
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
    }
}

/// A clock that only moves when told to: `sleep(until:)` jumps straight to the deadline, so the
/// daemon's own loop runs a simulated week without waiting. For tests.
public final class ManualSchedulerClock: SchedulerClock, Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock to `date` (never backwards).
    public func set(_ date: Date) { current.withLock { $0 = max($0, date) } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func sleep(until deadline: Date) async {
        set(deadline)
        await Task.yield()
    }
}

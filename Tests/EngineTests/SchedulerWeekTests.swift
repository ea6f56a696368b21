import Foundation
import Testing
import Audit
import Cron
@testable import Engine
@testable import Providers
@testable import Scheduler

/// The daemon's own loop driven through a simulated week (2026-10-28 to 2026-11-04, across New
/// York's fall-back on 1 November) with a jumping clock and in-memory runs.
@Suite struct SchedulerWeekTests {
    static let start = utc("2026-10-28T00:00:00Z")
    static let end = utc("2026-11-04T00:00:00Z")
    /// Saturday 10:45 in New York: neither the 5-hour runs (08:15Z-13:15Z, 16:15Z-21:15Z) nor the
    /// queued ones (:00-:15, :20-:35) are running then.
    static let middle = utc("2026-10-31T14:45:00Z")

    static let durations: [String: TimeInterval] = ["newyork.yaml#long": 5 * 3600, "utc.yaml#queue": 15 * 60]

    static let schedules: [(key: String, cron: String, zone: String)] = [
        ("newyork.yaml#long", "15 */4 * * *", "America/New_York"),
        ("newyork.yaml#morning", "0 8 * * *", "America/New_York"),
        ("newyork.yaml#night", "30 1 * * *", "America/New_York"),
        ("seoul.yaml#office", "*/30 9-18 * * MON-FRI", "Asia/Seoul"),
        ("seoul.yaml#weekly", "0 9 * * MON", "Asia/Seoul"),
        ("utc.yaml#queue", "0,10 * * * *", "UTC"),
    ]

    static func writeWorkflows(_ fixture: SchedulerFixture) throws {
        try fixture.write("seoul.yaml", schedules: """
              - { id: weekly, cron: "0 9 * * MON", timezone: Asia/Seoul, inputs: { week: "지난 주" } }
              - { id: office, cron: "*/30 9-18 * * MON-FRI", timezone: Asia/Seoul }
            """)
        try fixture.write("newyork.yaml", schedules: """
              - { id: morning, cron: "0 8 * * *", timezone: America/New_York }
              - { id: night, cron: "30 1 * * *", timezone: America/New_York }
              - { id: long, cron: "15 */4 * * *", timezone: America/New_York, overlap: skip }
            """)
        try fixture.write("utc.yaml", schedules: """
              - { id: queue, cron: "0,10 * * * *", timezone: UTC, overlap: queue }
            """)
    }

    /// Every fire time of a schedule in [start, end], computed by the Cron module alone.
    static func fireTimes(_ cron: String, _ zone: String) throws -> [Date] {
        let expression = try CronExpression(cron)
        let timeZone = try #require(TimeZone(identifier: zone))
        var times: [Date] = []
        var time = start.addingTimeInterval(-0.001)
        while let next = expression.next(after: time, in: timeZone), next <= end {
            times.append(next)
            time = next
        }
        return times
    }

    /// Runs the week, with a restart (a new daemon on the same store) at `restartAt` if given.
    static func simulate(restartAt: Date?) async throws -> (VirtualLauncher, [String: Date]) {
        let fixture = try SchedulerFixture()
        try writeWorkflows(fixture)
        let clock = ManualSchedulerClock(start)
        let launcher = VirtualLauncher(clock: clock, durations: durations)
        let log = EventLog()
        if let restartAt {
            await fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log).run(until: restartAt)
        }
        let store = try fixture.store(clock: clock)
        await fixture.scheduler(store: store, launcher: launcher, clock: clock, log: log).run(until: end)
        return (launcher, try store.scheduleStates())
    }

    @Test func everyDueRunStartsOnceNoneTwiceNoneMissed() async throws {
        let (launcher, states) = try await Self.simulate(restartAt: nil)
        let starts = launcher.starts
        #expect(Set(starts.map(\.description)).count == starts.count, "a fire time started twice")

        for schedule in Self.schedules {
            let fires = try Self.fireTimes(schedule.cron, schedule.zone)
            let mine = starts.filter { $0.key == schedule.key }
            switch schedule.key {
            case "newyork.yaml#long":
                // overlap: skip — a fire time starts only when the previous run (5 h) has ended.
                var expected: [Date] = []
                for fire in fires where expected.last.map({ $0.addingTimeInterval(5 * 3600) <= fire }) ?? true { expected.append(fire) }
                #expect(mine.map(\.scheduledFor) == expected)
                #expect(mine.allSatisfy { $0.startedAt == $0.scheduledFor })
                #expect(states[schedule.key] == fires.last)
            case "utc.yaml#queue":
                // overlap: queue — every fire time starts, in order, each after the previous run ended.
                #expect(mine.map(\.scheduledFor) == fires)
                for (previous, next) in zip(mine, mine.dropFirst()) {
                    #expect(next.startedAt >= previous.startedAt.addingTimeInterval(15 * 60))
                }
                #expect(mine.allSatisfy { $0.startedAt >= $0.scheduledFor })
            default:
                #expect(mine.map(\.scheduledFor) == fires, "\(schedule.key)")
                #expect(mine.allSatisfy { $0.startedAt == $0.scheduledFor }, "\(schedule.key) started late")
                #expect(states[schedule.key] == fires.last)
            }
        }
        // Spot checks against hand-computed times: the Seoul weekly report on Monday 2 November
        // at 09:00 KST, and New York's 01:30 on the fall-back day at both instants (EDT, then EST:
        // the repeated-hour rule of Documentation/Cron.md).
        let weekly: [VirtualLauncher.Start] = starts.filter { $0.key == "seoul.yaml#weekly" }
        #expect(weekly.map(\.description) == ["seoul.yaml#weekly@2026-11-02T00:00:00.000Z"])
        #expect(weekly.map(\.inputs) == [#"week="지난 주""#])
        let dayStart = utc("2026-11-01T00:00:00Z"), dayEnd = utc("2026-11-02T00:00:00Z")
        let night: [VirtualLauncher.Start] = starts.filter { $0.key == "newyork.yaml#night" && $0.scheduledFor >= dayStart && $0.scheduledFor < dayEnd }
        #expect(night.map(\.description) == ["newyork.yaml#night@2026-11-01T05:30:00.000Z", "newyork.yaml#night@2026-11-01T06:30:00.000Z"])
        let office = starts.filter { $0.key == "seoul.yaml#office" }.count
        let queued = starts.filter { $0.key == "utc.yaml#queue" }.count
        #expect(office == 101) // 5 weekdays x 20, and Wednesday 4 November 09:00 KST (the week's end instant)
        #expect(queued == 7 * 24 * 2 + 1)
    }

    @Test func aRestartInTheMiddleLosesAndRepeatsNothing() async throws {
        let (straight, _) = try await Self.simulate(restartAt: nil)
        let (restarted, states) = try await Self.simulate(restartAt: Self.middle)
        #expect(restarted.starts.map(\.description) == straight.starts.map(\.description))
        #expect(restarted.starts.map(\.startedAt) == straight.starts.map(\.startedAt))
        #expect(states["seoul.yaml#weekly"] == utc("2026-11-02T00:00:00Z"))
    }
}

import Foundation
import Testing
import Audit
@testable import Engine
@testable import Providers
@testable import Scheduler

/// Catch-up, reloading, two daemons on one store, shutdown, and the real engine behind it.
@Suite struct SchedulerTests {
    static let hourly = #"  - { id: hourly, cron: "0 * * * *", timezone: UTC, catchup: POLICY }"#

    /// Down from 02:00:30 to 07:30 with an hourly schedule: 03:00 to 07:00 were missed.
    @Test(arguments: [
        ("none", ["01:00", "02:00", "08:00", "09:00"], ["skipped missed report.yaml#hourly: 5 fire times missed while down (catchup: none)"]),
        ("latest", ["01:00", "02:00", "07:00 caught up", "08:00", "09:00"], ["skipped missed report.yaml#hourly: 4 fire times missed while down (catchup: latest)"]),
        ("all", ["01:00", "02:00", "03:00 caught up", "04:00 caught up", "05:00 caught up", "06:00 caught up", "07:00 caught up", "08:00", "09:00"], []),
    ])
    func missedFireTimesFollowTheCatchupPolicy(policy: String, expected: [String], skipped: [String]) async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("report.yaml", schedules: Self.hourly.replacingOccurrences(of: "POLICY", with: policy))
        let clock = ManualSchedulerClock(utc("2026-11-30T00:00:30Z"))
        let launcher = VirtualLauncher(clock: clock)
        let log = EventLog()
        await fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log).run(until: utc("2026-11-30T02:00:30Z"))
        clock.set(utc("2026-11-30T07:30:00Z"))
        await fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log).run(until: utc("2026-11-30T09:00:00Z"))

        let started = log.events.compactMap { event -> String? in
            guard case .started(_, let at, _, _, let caughtUp) = event else { return nil }
            return String(AuditTime.format(at).dropFirst(11).prefix(5)) + (caughtUp ? " caught up" : "")
        }
        #expect(started == expected)
        #expect(log.events.map(\.line).filter { $0.hasPrefix("skipped missed") } == skipped)
        #expect(Set(launcher.starts.map(\.description)).count == launcher.starts.count)
    }

    /// Files added, broken, changed and removed while the daemon runs, with its whole log.
    @Test func picksUpAddedChangedBrokenAndRemovedFiles() async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("a.yaml", schedules: #"  - { id: hourly, cron: "0 * * * *", timezone: Asia/Seoul }"#)
        let clock = ManualSchedulerClock(utc("2026-11-30T10:00:30Z"))
        let launcher = VirtualLauncher(clock: clock)
        let log = EventLog()
        let scheduler = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log)
        func tick(at time: String) async {
            clock.set(utc(time))
            await scheduler.tick()
        }
        await tick(at: "2026-11-30T10:00:30Z")
        await tick(at: "2026-11-30T11:00:00Z")
        try fixture.write("a.yaml", schedules: #"  - { id: hourly, cron: "61 * * * *", timezone: Asia/Seoul }"#)
        await tick(at: "2026-11-30T11:30:00Z")
        await tick(at: "2026-11-30T12:00:00Z")
        try fixture.write("b.yaml", schedules: #"  - { cron: "0 13 * * *", timezone: America/New_York, inputs: { week: "12월 첫째 주" } }"#)
        try fixture.write("a.yaml", schedules: #"  - { id: hourly, cron: "30 * * * *", timezone: Asia/Seoul, overlap: queue }"#)
        await tick(at: "2026-11-30T12:10:00Z")
        await tick(at: "2026-11-30T12:30:00Z")
        try fixture.remove("a.yaml")
        await tick(at: "2026-11-30T12:40:00Z")
        await tick(at: "2026-11-30T13:30:00Z")
        await tick(at: "2026-11-30T18:00:00Z")

        let a = fixture.workflows.appendingPathComponent("a.yaml").path
        #expect(log.lines == [
            "2026-11-30T10:00:30.000Z loaded a.yaml: 1 schedule (hourly '0 * * * *' Asia/Seoul)",
            "2026-11-30T10:00:30.000Z next a.yaml#hourly at 2026-11-30T20:00:00+09:00",
            "2026-11-30T11:00:00.000Z started a.yaml#hourly for 2026-11-30T20:00:00+09:00 run run-1",
            "2026-11-30T11:00:00.000Z next a.yaml#hourly at 2026-11-30T21:00:00+09:00",
            "2026-11-30T11:30:00.000Z finished a.yaml#hourly for 2026-11-30T20:00:00+09:00 run run-1: succeeded",
            "2026-11-30T11:30:00.000Z invalid a.yaml (keeping its last good version): \(a):8:26: error: invalid cron expression '61 * * * *': minute value 61 is out of range 0-59",
            "2026-11-30T12:00:00.000Z started a.yaml#hourly for 2026-11-30T21:00:00+09:00 run run-2",
            "2026-11-30T12:00:00.000Z next a.yaml#hourly at 2026-11-30T22:00:00+09:00",
            "2026-11-30T12:10:00.000Z finished a.yaml#hourly for 2026-11-30T21:00:00+09:00 run run-2: succeeded",
            "2026-11-30T12:10:00.000Z loaded a.yaml: 1 schedule (hourly '30 * * * *' Asia/Seoul)",
            "2026-11-30T12:10:00.000Z next a.yaml#hourly at 2026-11-30T21:30:00+09:00",
            "2026-11-30T12:10:00.000Z loaded b.yaml: 1 schedule (schedule-1 '0 13 * * *' America/New_York)",
            "2026-11-30T12:10:00.000Z next b.yaml#schedule-1 at 2026-11-30T13:00:00-05:00",
            "2026-11-30T12:30:00.000Z started a.yaml#hourly for 2026-11-30T21:30:00+09:00 run run-3",
            "2026-11-30T12:30:00.000Z next a.yaml#hourly at 2026-11-30T22:30:00+09:00",
            "2026-11-30T12:40:00.000Z finished a.yaml#hourly for 2026-11-30T21:30:00+09:00 run run-3: succeeded",
            "2026-11-30T12:40:00.000Z removed a.yaml: its schedules are dropped",
            "2026-11-30T18:00:00.000Z started b.yaml#schedule-1 for 2026-11-30T13:00:00-05:00 run run-4",
            "2026-11-30T18:00:00.000Z next b.yaml#schedule-1 at 2026-12-01T13:00:00-05:00",
        ])
        #expect(launcher.starts.last?.inputs == #"week="12월 첫째 주""#)
    }

    /// Two daemons on one store tick at the same instants: each fire time starts once in all.
    @Test func twoDaemonsOnOneStoreStartEachFireTimeOnce() async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("shared.yaml", schedules: #"  - { id: quarter, cron: "*/15 * * * *", timezone: Asia/Seoul }"#)
        let clock = ManualSchedulerClock(utc("2026-11-30T00:00:30Z"))
        let launcherA = VirtualLauncher(clock: clock), launcherB = VirtualLauncher(clock: clock)
        let log = EventLog()
        let a = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcherA, clock: clock, log: log)
        let b = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcherB, clock: clock, log: log)
        var expected: [String] = []
        for quarter in 0...16 {
            clock.set(utc("2026-11-30T00:00:30Z").addingTimeInterval(TimeInterval(quarter) * 900 - 30))
            if quarter % 2 == 0 { await a.tick(); await b.tick() } else { await b.tick(); await a.tick() }
            if quarter > 0 { expected.append("shared.yaml#quarter@" + AuditTime.format(clock.now())) }
        }
        let all = (launcherA.starts + launcherB.starts).map(\.description).sorted()
        #expect(all == expected)
        #expect(launcherA.starts.count == 8)
        #expect(launcherB.starts.count == 8)
        #expect(log.events.filter { if case .alreadyClaimed = $0 { true } else { false } }.count == 16)
    }

    /// A daemon that dies (SIGKILL: no shutdown) while a run goes on: its successor does not
    /// start that fire time again, and goes on with the next one.
    @Test func aDeadDaemonsRunningFireTimeIsNotRepeated() async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("slow.yaml", schedules: #"  - { id: daily, cron: "0 9 * * *", timezone: Asia/Seoul }"#)
        let clock = ManualSchedulerClock(utc("2026-11-29T12:00:00Z"))
        let launcher = VirtualLauncher(clock: clock, durations: ["slow.yaml#daily": 3 * 3600])
        let log = EventLog()
        let first = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log)
        await first.tick()
        clock.set(utc("2026-11-30T00:00:00Z"))
        await first.tick()
        clock.set(utc("2026-11-30T01:00:00Z"))
        let second = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log)
        await second.tick()
        clock.set(utc("2026-12-01T00:00:00Z"))
        await second.tick()
        #expect(launcher.starts.map(\.description) == ["slow.yaml#daily@2026-11-30T00:00:00.000Z", "slow.yaml#daily@2026-12-01T00:00:00.000Z"])
    }

    /// SIGTERM: no new runs; a run that ends within the grace period finishes, a longer one is
    /// cancelled (its engine records it `cancelled`, resumable).
    @Test(arguments: [(60.0, ["finished report.yaml#hourly for 2026-11-30T01:00:00+00:00 run run-1: succeeded"]),
                      (10.0, ["cancelled report.yaml#hourly run run-1 after the grace period (resumable with baton resume)",
                              "finished report.yaml#hourly for 2026-11-30T01:00:00+00:00 run run-1: cancelled"])])
    func shutdownLetsRunsFinishWithinTheGracePeriod(grace: Double, last: [String]) async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("report.yaml", schedules: Self.hourly.replacingOccurrences(of: "POLICY", with: "latest"))
        let clock = ManualSchedulerClock(utc("2026-11-30T00:30:00Z"))
        let launcher = VirtualLauncher(clock: clock, durations: ["report.yaml#hourly": 30])
        let log = EventLog()
        let scheduler = fixture.scheduler(store: try fixture.store(clock: clock), launcher: launcher, clock: clock, log: log, grace: grace)
        await scheduler.tick()
        clock.set(utc("2026-11-30T01:00:00Z"))
        await scheduler.tick()
        scheduler.requestStop()
        await scheduler.run()
        let lines = log.lines.map { String($0.dropFirst(25)) }
        let stopping = try #require(lines.firstIndex { $0.hasPrefix("stopping") })
        #expect(Array(lines[stopping...]) == ["stopping: no new runs; waiting up to \(Int(grace))s for 1 running run"] + last)
        #expect(launcher.starts.count == 1)
    }

    /// The real engine behind the scheduler: the run is in the audit store with trigger
    /// `schedule`, its fire time and the schedule's inputs.
    @Test func theEngineLauncherRecordsScheduledRuns() async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("weekly.yaml", schedules: #"  - { id: monday, cron: "0 9 * * MON", timezone: Asia/Seoul, inputs: { week: "11월 넷째 주" }, catchup: latest }"#)
        let store = try fixture.store()
        #expect(try store.claimFire(schedule: "weekly.yaml#monday", at: utc("2026-11-01T00:00:00Z")))
        let output = fixture.root.appendingPathComponent("out").path
        let launcher = EngineRunLauncher(store: store, configuration: EngineConfiguration(output: OutputDirectory(output)))
        let clock = ManualSchedulerClock(utc("2026-11-24T03:00:00Z"))
        let log = EventLog()
        await fixture.scheduler(store: store, launcher: launcher, clock: clock, log: log).runOnce()

        let runs = try store.runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.workflow == "weekly")
        #expect(run.trigger == .schedule)
        #expect(run.scheduledFor == utc("2026-11-23T00:00:00Z"))
        #expect(run.status == .succeeded)
        #expect(run.inputsJSON == #"{"week":"11월 넷째 주"}"#)
        #expect(try store.lastFire(schedule: "weekly.yaml#monday") == utc("2026-11-23T00:00:00Z"))
        #expect(log.events.map(\.line).filter { $0.hasPrefix("skipped missed") || $0.hasPrefix("finished") }
            == ["skipped missed weekly.yaml#monday: 3 fire times missed while down (catchup: latest)",
                "finished weekly.yaml#monday for 2026-11-23T09:00:00+09:00 run \(run.id): succeeded"])
    }
}

extension SchedulerTests {
    /// A schedule that leaves a required input unset is refused when the file loads: the file is
    /// reported and skipped, and nothing runs.
    @Test func aScheduleMissingARequiredInputIsReportedAndSkipped() async throws {
        let fixture = try SchedulerFixture()
        try fixture.writeRaw("brief.yaml", """
            baton: 1
            name: brief
            inputs:
              client: { type: string }
            steps:
              - { id: note, kind: template, template: "{{ inputs.client }}" }
            schedules:
              - { id: daily, cron: "0 9 * * *", timezone: Asia/Seoul }

            """)
        let store = try fixture.store()
        let launcher = EngineRunLauncher(store: store, configuration: EngineConfiguration(output: OutputDirectory(fixture.root.appendingPathComponent("out").path)))
        let log = EventLog()
        let clock = ManualSchedulerClock(utc("2026-11-30T01:00:00Z"))
        await fixture.scheduler(store: store, launcher: launcher, clock: clock, log: log).run(until: utc("2026-12-02T01:00:00Z"))
        let file = fixture.workflows.appendingPathComponent("brief.yaml").path
        #expect(log.lines.first == "2026-11-30T01:00:00.000Z invalid brief.yaml (skipped): \(file):8:5: error: schedule 'daily' does not give required input 'client'")
        #expect(try store.runs().isEmpty)
    }
}

extension SchedulerTests {
    /// SIGTERM during `--once`: queued catch-ups do not start, the running one gets the grace
    /// period and is then cancelled.
    @Test func aStopDuringOncePassShutsDownWithTheGracePeriod() async throws {
        let fixture = try SchedulerFixture()
        try fixture.write("report.yaml", schedules: Self.hourly.replacingOccurrences(of: "POLICY", with: "all"))
        let clock = ManualSchedulerClock(utc("2026-11-30T00:30:00Z"))
        let launcher = VirtualLauncher(clock: clock, durations: ["report.yaml#hourly": 3600])
        let log = EventLog()
        let store = try fixture.store(clock: clock)
        await fixture.scheduler(store: store, launcher: launcher, clock: clock, log: log).tick()
        clock.set(utc("2026-11-30T03:30:00Z"))
        let scheduler = fixture.scheduler(store: store, launcher: launcher, clock: clock, log: log, grace: 5)
        scheduler.requestStop()
        await scheduler.runOnce()
        #expect(launcher.starts.map(\.description) == ["report.yaml#hourly@2026-11-30T01:00:00.000Z"])
        #expect(log.lines.suffix(3).map { String($0.dropFirst(25)) } == [
            "stopping: no new runs; waiting up to 5s for 1 running run",
            "cancelled report.yaml#hourly run run-1 after the grace period (resumable with baton resume)",
            "finished report.yaml#hourly for 2026-11-30T01:00:00+00:00 run run-1: cancelled",
        ])
        // The queued 02:00 and 03:00 were never claimed: the next pass catches them up.
        #expect(try store.lastFire(schedule: "report.yaml#hourly") == utc("2026-11-30T01:00:00Z"))
    }
}

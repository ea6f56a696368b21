import Foundation
import Testing
@testable import Engine
@testable import Providers
@testable import Scheduler

/// Every kind of scheduler log line, in full.
@Suite struct SchedulerEventTests {
    static let seoul = TimeZone(identifier: "Asia/Seoul") ?? .gmt
    static let at = utc("2026-11-30T00:00:00Z")

    @Test(arguments: [
        (SchedulerEvent.loaded(file: "주간.yaml", schedules: ["monday '0 9 * * MON' Asia/Seoul"]), "loaded 주간.yaml: 1 schedule (monday '0 9 * * MON' Asia/Seoul)"),
        (.loaded(file: "a.yaml", schedules: []), "loaded a.yaml: 0 schedules"),
        (.invalid(file: "a.yaml", message: "a.yaml:3:1: error: x", kept: false), "invalid a.yaml (skipped): a.yaml:3:1: error: x"),
        (.removed(file: "a.yaml"), "removed a.yaml: its schedules are dropped"),
        (.next(key: "a.yaml#m", at: at, zone: seoul), "next a.yaml#m at 2026-11-30T09:00:00+09:00"),
        (.started(key: "a.yaml#m", scheduledFor: at, zone: seoul, runID: nil, caughtUp: false), "started a.yaml#m for 2026-11-30T09:00:00+09:00"),
        (.started(key: "a.yaml#m", scheduledFor: at, zone: seoul, runID: "r1", caughtUp: true), "caught up a.yaml#m for 2026-11-30T09:00:00+09:00 run r1"),
        (.finished(key: "a.yaml#m", scheduledFor: at, zone: seoul, runID: "r1", status: "failed", error: "step 'copy' failed"),
         "finished a.yaml#m for 2026-11-30T09:00:00+09:00 run r1: failed (step 'copy' failed)"),
        (.skippedOverlap(key: "a.yaml#m", scheduledFor: at, zone: seoul), "skipped overlap a.yaml#m for 2026-11-30T09:00:00+09:00: the previous run is still running"),
        (.queued(key: "a.yaml#m", scheduledFor: at, zone: seoul), "queued a.yaml#m for 2026-11-30T09:00:00+09:00: waits for the previous run"),
        (.skippedMissed(key: "a.yaml#m", count: 1, policy: "none"), "skipped missed a.yaml#m: 1 fire time missed while down (catchup: none)"),
        (.alreadyClaimed(key: "a.yaml#m", scheduledFor: at, zone: seoul), "already started a.yaml#m for 2026-11-30T09:00:00+09:00 (by another scheduler or before a restart)"),
        (.launchFailed(key: "a.yaml#m", scheduledFor: at, zone: seoul, message: "disk full"), "failed to start a.yaml#m for 2026-11-30T09:00:00+09:00: disk full"),
        (.stopping(running: 2, grace: 30), "stopping: no new runs; waiting up to 30s for 2 running runs"),
        (.cancelled(key: "a.yaml#m", runID: "r1"), "cancelled a.yaml#m run r1 after the grace period (resumable with baton resume)"),
        (.storeError(message: "database is locked"), "audit store error: database is locked"),
    ])
    func lines(event: SchedulerEvent, line: String) {
        #expect(event.line == line)
    }
}

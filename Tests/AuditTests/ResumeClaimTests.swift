import Foundation
import Testing
@testable import Audit

/// Issue 19 item 12: a resume claims its parent run in the store, so a second `baton resume` of
/// the same run is refused while the first is going, and after it succeeded.
@Suite struct ResumeClaimTests {
    func resume(_ fixture: AuditFixture, _ parent: String) throws(AuditError) -> RunRecord {
        try fixture.store.startRun(NewRun(workflow: "campaign-copy", workflowSource: "", trigger: .resume, parentRunID: parent))
    }

    @Test func aSecondResumeIsRefusedWhileTheFirstRunsAndAfterItSucceeded() throws {
        let fixture = try AuditFixture()
        let parent = try fixture.startRun(id: "20261129-021530-a1b2c3")
        try fixture.store.finishRun(id: parent.id, status: .interrupted)

        let first = try resume(fixture, parent.id)  // owned by this (living) process
        let refused = try #require(throws: AuditError.self) { _ = try resume(fixture, parent.id) }
        #expect(refused == .alreadyResumed(run: parent.id, by: first.id, status: .running,
                                           runner: "process \(HostProcess.currentPID) on \(HostProcess.hostName)"))
        #expect(refused.description.hasPrefix("run '\(parent.id)' is already being resumed by run '\(first.id)'"))

        // A resume that failed leaves the run to resume again.
        try fixture.store.finishRun(id: first.id, status: .failed)
        let second = try resume(fixture, parent.id)
        try fixture.store.finishRun(id: second.id, status: .succeeded)
        let done = try #require(throws: AuditError.self) { _ = try resume(fixture, parent.id) }
        #expect(done.description == "run '\(parent.id)' was already resumed by run '\(second.id)', which succeeded; nothing is left to resume")
        #expect(try fixture.store.runs().filter { $0.parentRunID == parent.id }.count == 2)
    }

    /// A resume whose process died (it reads `interrupted`) does not block the next one.
    @Test func aDeadResumeDoesNotBlock() throws {
        let fixture = try AuditFixture()
        let parent = try fixture.startRun()
        try fixture.store.finishRun(id: parent.id, status: .failed)
        // A second store on the same file whose runner is a process that no longer exists.
        let gone = try AuditStore(path: fixture.path, now: { AuditFixture.t0 }, runner: (pid: Int(Int32.max - 7), host: HostProcess.hostName))
        let dead = try gone.startRun(NewRun(workflow: "campaign-copy", workflowSource: "", trigger: .resume, parentRunID: parent.id))
        #expect(try fixture.store.run(id: dead.id)?.status == .interrupted)
        _ = try resume(fixture, parent.id)
    }
}

import Foundation
import Testing
@testable import Audit

/// Keyset pages of the run history: each page continues where the last ended, filters apply.
@Suite struct RunsPageTests {
    @Test func pagesWalkTheHistoryNewestFirstWithoutGapsOrRepeats() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-page-\(UUID().uuidString).db").path
        let store = try AuditStore(path: path)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var ids: [String] = []
        for index in 0..<120 {
            // Every 4 runs share a start time: the id breaks the tie.
            let run = try store.startRun(NewRun(workflow: index % 2 == 0 ? "a" : "b", workflowSource: "baton: 1\n",
                                                startedAt: start.addingTimeInterval(Double(index / 4)), id: String(format: "run-%03d", index)))
            try store.finishRun(id: run.id, status: index % 3 == 0 ? .failed : .succeeded)
            ids.append(run.id)
        }
        var seen: [String] = []
        var before: String?
        while true {
            let page = try store.runsPage(before: before, limit: 50)
            if page.isEmpty { break }
            seen += page.map(\.id)
            before = page.last?.id
        }
        #expect(seen == ids.reversed())
        let failedA = try store.runsPage(workflow: "a", status: .failed, limit: 50).map(\.id)
        #expect(failedA == ids.enumerated().filter { $0.offset % 6 == 0 }.map(\.element).reversed())
        #expect(try store.runsPage(before: "run-004", limit: 3).map(\.id) == ["run-003", "run-002", "run-001"])
    }
}

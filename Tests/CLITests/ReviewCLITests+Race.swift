import Foundation
import Testing
import TestSupport

extension ReviewCLITests {
    /// Two `baton resume` processes started at once on the same decided run (as a reviewer and
    /// the scheduler might): the claim is one write transaction, so exactly one continues the run
    /// and finishes it; the other is refused (still running, already being continued, or already
    /// succeeded, depending on when it looked). The steps after the review run once and the chain
    /// verifies. Three runs, so that at least some of the pairs really overlap.
    @Test func twoProcessesResumingOneRunContinueItOnce() throws {
        var runIDs: [String] = []
        for _ in 0..<3 {
            let started = try baton(["run", "review.yaml", "--json"])
            let runID = try #require(try json(started)["run_id"] as? String, "\(started.stderr)")
            #expect(try baton(["review", runID, "approval", "--approve", "--as", "park"]).status == 0)
            runIDs.append(runID)
        }
        for runID in runIDs {
            nonisolated(unsafe) var results = [BatonProcess?](repeating: nil, count: 2)
            let folder = self.folder
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                results[i] = try? BatonProcess.run(["resume", runID, "--json"],
                                                   environment: ["BATON_DB": "", "BATON_STREAM": "0", "BATON_AUTO_APPROVE": ""], directory: folder)
            }
            let both = results.compactMap { $0 }
            #expect(both.count == 2)
            let finished = both.filter { (try? JSONSerialization.jsonObject(with: Data($0.stdout.utf8)) as? [String: Any])?["status"] as? String == "succeeded" }
            #expect(finished.count == 1, "\(both.map { "\($0.status): \($0.stdout) \($0.stderr)" })")
            let refused = both.filter { $0.stdout.isEmpty }
            #expect(refused.count == 1)
            let reason = refused.first?.stderr ?? ""
            #expect(reason.contains("is still running") || reason.contains("is already being continued") || reason.contains("already succeeded; nothing to resume")
                    || reason.contains("not waiting for a review"), "\(reason)")
            let export = try json(try baton(["export", runID, "--format", "json"]))
            let attempts = try #require(export["steps"] as? [[String: Any]])
            #expect(attempts.map { "\($0["id"] ?? "") \($0["attempt"] ?? "")" } == ["draft 1", "approval 1", "final 1"])
        }
        // No child runs: each run was continued in place, once.
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try baton(["runs", "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(Set(runs.compactMap { $0["id"] as? String }) == Set(runIDs))
        #expect(try baton(["audit", "verify"]).status == 0)
    }
}

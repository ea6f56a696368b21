import Foundation
import Testing
import TestSupport

/// `kind: review` end to end with the real binary: a run stops as `waiting`, `baton review`
/// decides, `baton resume` (or `--continue`) finishes the same run, the decisions are in
/// `baton export` and in the hash chain `baton audit verify` checks; `baton serve` applies
/// timeouts and continues runs decided elsewhere. Template steps only: no model, seconds.
@Suite struct ReviewCLITests {
    static let workflow = """
        baton: 1
        name: review-demo
        inputs:
          product: { type: string, default: 한빛 봄꽃 축제 }
        steps:
          - id: draft
            kind: template
            template: "{{ inputs.product }} 카피 초안{% if review.note %} (반영: {{ review.note }}){% endif %}"
          - id: approval
            kind: review
            show: "{{ steps.draft.output }}"
            reviewers: [김지은, park]
            on_reject: { redo: draft }
            max_rounds: 2
          - id: final
            kind: template
            template: "최종: {{ steps.approval.output }}"
        outputs:
          files:
            - path: copy.md
              content: "{{ steps.final.output }}"
        """

    let folder: URL

    init() throws {
        folder = try TemporaryFolder.make("review")
        try Data(Self.workflow.utf8).write(to: folder.appendingPathComponent("review.yaml"))
    }

    func baton(_ arguments: [String], environment: [String: String] = [:]) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": "", "BATON_STREAM": "0", "BATON_AUTO_APPROVE": ""].merging(environment) { $1 },
                             directory: folder)
    }

    func json(_ result: BatonProcess) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    func sqlite3(_ sql: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [folder.appendingPathComponent(".baton/baton.db").path, sql]
        try Spawn.run(process)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The issue's must-show: approve (after one rejection sent the draft back with the note)
    /// from the CLI, the run finishes and writes the edited text, export shows every decision,
    /// verify passes, and fails once a decision row is edited with the sqlite3 shell.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell"))
    func rejectThenEditAndApproveFinishesTheRunWithTheReviewInTheAuditChain() throws {
        let first = try baton(["run", "review.yaml", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstRun = try json(first)
        #expect(firstRun["status"] as? String == "waiting")
        #expect(firstRun["files"] as? [String] == [])
        let firstID = try #require(firstRun["run_id"] as? String)

        let inbox = try baton(["review", "list", "--json"])
        let pending = try #require(try JSONSerialization.jsonObject(with: Data(inbox.stdout.utf8)) as? [[String: Any]])
        #expect(pending.count == 1)
        #expect(pending.first?["run_id"] as? String == firstID)
        #expect(pending.first?["step"] as? String == "approval")
        #expect(pending.first?["shown_text"] as? String == "한빛 봄꽃 축제 카피 초안")

        let stranger = try baton(["review", firstID, "approval", "--approve", "--as", "mallory"])
        #expect(stranger.status == 1)
        #expect(stranger.stderr == "error: 'mallory' may not review step 'approval' (reviewers: 김지은, park); give --as NAME\n")
        let early = try baton(["resume", firstID])
        #expect(early.status == 1)
        #expect(early.stderr.contains("is waiting for review of step 'approval' (round 1)"))

        #expect(try baton(["review", firstID, "approval", "--reject", "--note", "더 짧게", "--as", "park"]).status == 0)
        let again = try baton(["review", firstID, "approval", "--approve", "--as", "park"])
        #expect(again.status == 1)
        #expect(again.stderr.contains("has no open review of step 'approval': it was already rejected"))
        let second = try baton(["resume", firstID, "--json"])
        let secondRun = try json(second)
        // The redo round goes on in the same run and stops at the review again.
        #expect(secondRun["status"] as? String == "waiting")
        #expect(secondRun["run_id"] as? String == firstID)
        #expect(second.stderr.hasPrefix("continuing run \(firstID) (waiting): 0 finished steps and items kept\n"), "\(second.stderr)")
        let shown = try baton(["review", "show", firstID, "approval"])
        #expect(shown.stdout.hasPrefix("run \(firstID) · review-demo · step approval · round 2 · waiting\n"))
        #expect(shown.stdout.contains("\n한빛 봄꽃 축제 카피 초안 (반영: 더 짧게)\n"))

        try Data("봄꽃 아래 퇴근길".utf8).write(to: folder.appendingPathComponent("edited.txt"))
        let decided = try baton(["review", firstID, "approval", "--edit", "edited.txt", "--note", "톤 수정", "--as", "김지은", "--continue", "--json"])
        #expect(decided.status == 0, "\(decided.stderr)")
        let finished = try json(decided)
        #expect(finished["status"] as? String == "succeeded")
        #expect(finished["run_id"] as? String == firstID)
        #expect(decided.stderr.contains("continuing run \(firstID) (waiting): 1 finished steps and items kept\n"), "\(decided.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("out/copy.md"), encoding: .utf8) == "최종: 봄꽃 아래 퇴근길\n")
        #expect(try baton(["review", "list", "--json"]).stdout == "[]\n")
        // One run from start to end: no child runs.
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try baton(["runs", "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String } == [firstID])
        let again2 = try baton(["resume", firstID])
        #expect(again2.stderr == "run \(firstID) already succeeded; nothing to resume\n")

        let export = try json(try baton(["export", firstID, "--format", "json"]))
        let reviews = try #require(export["reviews"] as? [[String: Any]])
        #expect(reviews.map { "\($0["round"] ?? "") \($0["event"] ?? "") \($0["reviewer"] ?? "-")" }
                == ["1 requested <null>", "1 rejected park", "2 requested <null>", "2 edited 김지은"])
        #expect(reviews[3]["before_text"] as? String == "한빛 봄꽃 축제 카피 초안 (반영: 더 짧게)")
        #expect(reviews[3]["after_text"] as? String == "봄꽃 아래 퇴근길")
        #expect(reviews[3]["note"] as? String == "톤 수정")
        // Every attempt is in the run's own chain: the first draft, the redone draft (attempt 2), the review, the rest.
        let attempts = try #require(export["steps"] as? [[String: Any]], "\(export.keys)")
        #expect(attempts.map { "\($0["id"] ?? "") \($0["attempt"] ?? "")" } == ["draft 1", "draft 2", "approval 1", "final 1"])
        let markdown = try baton(["export", firstID, "--format", "markdown"])
        #expect(markdown.stdout.contains("## Reviews\n"))
        #expect(markdown.stdout.contains("approval  round 2  edited by 김지은: 톤 수정"))

        let clean = try baton(["audit", "verify"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(try sqlite3("DROP TRIGGER reviews_no_update; UPDATE reviews SET reviewer = 'park' WHERE event = 'edited';") == 0)
        let tampered = try baton(["audit", "verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout == "run \(firstID): reviews #4 (step 'approval'): the review row's contents do not match its hash (a decision was edited)\n")
    }

    /// A review whose `timeout` passed takes its `on_timeout` decision when the run is resumed,
    /// recorded by `timeout`; `--approve-all` approves without a person, recorded by `auto-approve`.
    @Test func timeoutAndApproveAllAreRecordedDecisions() throws {
        let timed = Self.workflow.replacingOccurrences(of: "    max_rounds: 2\n", with: "    max_rounds: 2\n    timeout: 1ms\n    on_timeout: approve\n")
        try Data(timed.utf8).write(to: folder.appendingPathComponent("timed.yaml"))
        let waiting = try json(try baton(["run", "timed.yaml", "--json"]))
        let runID = try #require(waiting["run_id"] as? String)
        let resumed = try baton(["resume", runID, "--json"])
        #expect(try json(resumed)["status"] as? String == "succeeded", "\(resumed.stderr)")
        #expect(try json(resumed)["run_id"] as? String == runID)
        #expect(resumed.stderr.contains("approval  round 1  approved by timeout: approved by on_timeout: no decision before"))

        // Without on_timeout, the time running out rejects: 'review list' records it, and the
        // run then fails in place.
        try Data(Self.workflow.replacingOccurrences(of: "    max_rounds: 2\n", with: "    max_rounds: 2\n    timeout: 1ms\n").utf8)
            .write(to: folder.appendingPathComponent("expiring.yaml"))
        let expiringID = try #require(try json(try baton(["run", "expiring.yaml", "--json"]))["run_id"] as? String)
        let listed = try baton(["review", "list", "--json"])
        #expect(listed.stdout == "[]\n")
        #expect(listed.stderr.contains("approval  round 1  rejected by timeout: no decision before "), "\(listed.stderr)")
        #expect(listed.stderr.hasSuffix("; continue with: baton resume \(expiringID)\n"), "\(listed.stderr)")
        let failed = try baton(["resume", expiringID, "--json"])
        #expect(failed.status == 1)
        #expect(try json(failed)["run_id"] as? String == expiringID)
        #expect(try json(failed)["status"] as? String == "failed")
        #expect((try json(failed)["error"] as? String ?? "").hasPrefix("step 'approval' failed: rejected by timeout (round 1 of max_rounds 2): no decision before "))

        let auto = try json(try baton(["run", "review.yaml", "--approve-all", "--json"]))
        #expect(auto["status"] as? String == "succeeded")
        let autoID = try #require(auto["run_id"] as? String)
        let reviews = try #require(try json(try baton(["export", autoID, "--format", "json"]))["reviews"] as? [[String: Any]])
        #expect(reviews.map { $0["reviewer"] as? String ?? "-" } == ["-", "auto-approve"])
        #expect(try json(try baton(["run", "review.yaml", "--json"], environment: ["BATON_AUTO_APPROVE": "1"]))["status"] as? String == "succeeded")
    }

    /// The console continues a run decided in a terminal while it runs, and applies a passed
    /// `timeout` itself (here: no on_timeout, so the run fails), both in place.
    @Test func serveContinuesRunsDecidedElsewhereAndAppliesTimeouts() throws {
        let decidedID = try #require(try json(try baton(["run", "review.yaml", "--json"]))["run_id"] as? String)
        try Data(Self.workflow.replacingOccurrences(of: "    max_rounds: 2\n", with: "    max_rounds: 2\n    timeout: 1s\n").utf8)
            .write(to: folder.appendingPathComponent("expiring.yaml"))
        let expiringID = try #require(try json(try baton(["run", "expiring.yaml", "--json"]))["run_id"] as? String)
        let serve = try ServeProcess(["--workflows", "."], environment: ["BATON_DB": "", "BATON_STREAM": "0", "BATON_AUTO_APPROVE": ""], directory: folder)
        defer { serve.stop() }
        #expect(try baton(["review", decidedID, "approval", "--approve", "--as", "park"]).status == 0)
        var statuses: [String: String] = [:]
        for _ in 0..<200 {
            let runs = try JSONSerialization.jsonObject(with: Data(try baton(["runs", "--json"]).stdout.utf8)) as? [[String: Any]] ?? []
            statuses = Dictionary(runs.compactMap { run in (run["id"] as? String).map { ($0, run["status"] as? String ?? "") } }) { first, _ in first }
            if statuses[decidedID] == "succeeded", statuses[expiringID] == "failed" { break }
            usleep(50_000)
        }
        #expect(statuses == [decidedID: "succeeded", expiringID: "failed"], "\(serve.stderrText)")
        #expect(try String(contentsOf: folder.appendingPathComponent("out/copy.md"), encoding: .utf8) == "최종: 한빛 봄꽃 축제 카피 초안\n")
        let reviews = try #require(try json(try baton(["export", expiringID, "--format", "json"]))["reviews"] as? [[String: Any]])
        #expect(reviews.map { "\($0["event"] ?? "") \($0["reviewer"] ?? "-")" } == ["requested <null>", "rejected timeout"])
        let verify = try baton(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    /// The scheduler daemon continues a run decided in a terminal, and applies a passed
    /// `timeout` (no on_timeout: the run fails), both in place (`--once`: one pass, then it waits
    /// for what it started).
    @Test func theSchedulerContinuesADecidedRunAndAppliesTimeouts() throws {
        let runID = try #require(try json(try baton(["run", "review.yaml", "--json"]))["run_id"] as? String)
        #expect(try baton(["review", runID, "approval", "--approve", "--as", "김지은"]).status == 0)
        try Data(Self.workflow.replacingOccurrences(of: "    max_rounds: 2\n", with: "    max_rounds: 2\n    timeout: 1ms\n").utf8)
            .write(to: folder.appendingPathComponent("expiring.yaml"))
        let expiringID = try #require(try json(try baton(["run", "expiring.yaml", "--json"]))["run_id"] as? String)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("scheduled"), withIntermediateDirectories: true)
        let daemon = try baton(["scheduler", "--once", "--workflows", "scheduled"])
        #expect(daemon.status == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("started review-demo (review decided) for "), "\(daemon.stderr)")
        #expect(daemon.stderr.contains(" run \(runID): succeeded"), "\(daemon.stderr)")
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try baton(["runs", "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(runs.map { "\($0["id"] ?? "") \($0["status"] ?? "")" } == ["\(expiringID) failed", "\(runID) succeeded"])
        #expect(daemon.stderr.contains(" run \(expiringID): failed (step 'approval' failed: rejected by timeout"), "\(daemon.stderr)")
        #expect(try baton(["audit", "verify"]).status == 0)
    }
}

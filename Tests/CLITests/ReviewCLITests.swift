import Foundation
import Testing
import TestSupport

/// `kind: review` end to end with the real binary: a run stops as `waiting`, `baton review`
/// decides, `baton resume` (or `--continue`) finishes it, the decisions are in `baton export`
/// and in the hash chain `baton audit verify` checks. Template steps only: no model, seconds.
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
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-review-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
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
        #expect(secondRun["status"] as? String == "waiting")
        let secondID = try #require(secondRun["run_id"] as? String)
        let shown = try baton(["review", "show", secondID, "approval"])
        #expect(shown.stdout.hasPrefix("run \(secondID) · review-demo · step approval · round 2 · waiting\n"))
        #expect(shown.stdout.contains("\n한빛 봄꽃 축제 카피 초안 (반영: 더 짧게)\n"))

        try Data("봄꽃 아래 퇴근길".utf8).write(to: folder.appendingPathComponent("edited.txt"))
        let decided = try baton(["review", secondID, "approval", "--edit", "edited.txt", "--note", "톤 수정", "--as", "김지은", "--continue", "--json"])
        #expect(decided.status == 0, "\(decided.stderr)")
        let finished = try json(decided)
        #expect(finished["status"] as? String == "succeeded")
        let finalID = try #require(finished["run_id"] as? String)
        #expect(try String(contentsOf: folder.appendingPathComponent("out/copy.md"), encoding: .utf8) == "최종: 봄꽃 아래 퇴근길\n")
        #expect(try baton(["review", "list", "--json"]).stdout == "[]\n")

        let export = try json(try baton(["export", finalID, "--format", "json"]))
        let reviews = try #require(export["reviews"] as? [[String: Any]])
        #expect(reviews.map { "\($0["round"] ?? "") \($0["event"] ?? "") \($0["reviewer"] ?? "-")" }
                == ["1 requested <null>", "1 rejected park", "2 requested <null>", "2 edited 김지은"])
        #expect(reviews[3]["before_text"] as? String == "한빛 봄꽃 축제 카피 초안 (반영: 더 짧게)")
        #expect(reviews[3]["after_text"] as? String == "봄꽃 아래 퇴근길")
        #expect(reviews[3]["note"] as? String == "톤 수정")
        let markdown = try baton(["export", finalID, "--format", "markdown"])
        #expect(markdown.stdout.contains("## Reviews\n"))
        #expect(markdown.stdout.contains("approval  round 2  edited by 김지은: 톤 수정"))

        let clean = try baton(["audit", "verify"])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(try sqlite3("DROP TRIGGER reviews_no_update; UPDATE reviews SET reviewer = 'park' WHERE event = 'edited';") == 0)
        let tampered = try baton(["audit", "verify"])
        #expect(tampered.status == 1)
        #expect(tampered.stdout == "run \(secondID): reviews #4 (step 'approval'): the review row's contents do not match its hash (a decision was edited)\n")
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
        #expect(resumed.stderr.contains("approval  round 1  approved by timeout: approved by on_timeout: no decision before"))

        let auto = try json(try baton(["run", "review.yaml", "--approve-all", "--json"]))
        #expect(auto["status"] as? String == "succeeded")
        let autoID = try #require(auto["run_id"] as? String)
        let reviews = try #require(try json(try baton(["export", autoID, "--format", "json"]))["reviews"] as? [[String: Any]])
        #expect(reviews.map { $0["reviewer"] as? String ?? "-" } == ["-", "auto-approve"])
        #expect(try json(try baton(["run", "review.yaml", "--json"], environment: ["BATON_AUTO_APPROVE": "1"]))["status"] as? String == "succeeded")
    }
}

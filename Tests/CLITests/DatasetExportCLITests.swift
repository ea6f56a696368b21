import Audit
import Foundation
import Testing
import TestSupport

/// `baton dataset export` against a store written through the Audit API as the engine and
/// `baton review` write it: which outputs become examples, with which answer, and what the
/// manifest says about where each line came from.
@Suite struct DatasetExportCLITests {
    static let t0 = Date(timeIntervalSince1970: 1_795_918_530)  // 2026-11-29T02:15:30Z
    static let server = "http://127.0.0.1:8080/v1#gpt-4o-mini"
    static let local = "gguf:sha256:" + String(repeating: "ab", count: 32)
    static let system = #"[{"role":"system","content":"한빛 에이전시의 말투: 따뜻하고 구체적으로."},{"role":"user","content":"봄꽃 축제 카피"}]"#

    /// Six runs: an edited review, an approval, a rejection, an unreviewed duplicate of the
    /// approved one, a local model's rendered prompt, and a step whose last attempt failed.
    func makeStore(_ home: PromptHome) throws {
        let store = try AuditStore(path: home.db)
        struct Output { var step = "copy"; var model = DatasetExportCLITests.server; var prompt: String; var output: String; var failedLast = false }
        let runs: [(id: String, workflow: String, outputs: [Output], review: ReviewEvent?)] = [
            ("20261129-021530-000001", "brand-copy", [Output(prompt: Self.system, output: "봄꽃 축제, 오세요!")], .edited),
            ("20261129-031530-000002", "brand-copy", [Output(prompt: "Tagline for green tea", output: "Green tea, slowly."),
                                                      Output(step: "title", prompt: "Title for green tea", output: "Slow Tea")], .approved),
            ("20261129-041530-000003", "brand-copy", [Output(prompt: "Tagline for coffee", output: "COFFEE!!!")], .rejected),
            ("20261130-021530-000004", "brand-copy", [Output(prompt: "Tagline for green tea", output: "Green tea, slowly.")], nil),
            ("20261130-031530-000005", "brand-copy", [Output(model: Self.local, prompt: "<|im_start|>user\nTagline<|im_end|>", output: "Hi")], nil),
            ("20261130-041530-000006", "other", [Output(prompt: "Summary", output: "partial", failedLast: true)], nil),
        ]
        for (offset, run) in runs.enumerated() {
            let start = Self.t0.addingTimeInterval(Double(offset) * 3_600)
            _ = try store.startRun(NewRun(workflow: run.workflow, workflowSource: "name: \(run.workflow)\n", startedAt: start, id: run.id))
            for output in run.outputs {
                _ = try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: output.step, kind: "generate", status: .succeeded,
                                                              model: output.model, prompt: output.prompt, outputText: output.output,
                                                              startedAt: start, finishedAt: start.addingTimeInterval(1)))
                if output.failedLast {
                    _ = try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: output.step, attempt: 2, kind: "generate", status: .failed,
                                                                  model: output.model, prompt: output.prompt, startedAt: start,
                                                                  finishedAt: start.addingTimeInterval(2), error: "timed out"))
                }
            }
            _ = try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "notes", kind: "template", status: .succeeded,
                                                          outputText: "not a model's", startedAt: start, finishedAt: start.addingTimeInterval(1)))
            if let event = run.review {
                let shown = run.outputs[0].output
                _ = try store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .requested, shownText: shown + "\n", recordedAt: start))
                _ = try store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: event, reviewer: "김지은",
                                                        shownText: shown + "\n", beforeText: event == .edited ? shown : nil,
                                                        afterText: event == .edited ? "봄꽃 축제에서 만나요." : nil, recordedAt: start.addingTimeInterval(60)))
            }
            try store.finishRun(id: run.id, status: .succeeded, finishedAt: start.addingTimeInterval(120))
        }
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func everyFinalModelOutputWithTheReviewersEditAndWithoutTheRejectedOne() throws {
        let home = try PromptHome()
        try makeStore(home)
        let out = home.folder.appendingPathComponent("data.jsonl").path
        let result = try home.baton(["dataset", "export", "--out", out, "--valid-fraction", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote \(out) (3 examples), \(home.folder.appendingPathComponent("data.manifest.json").path): 6 runs, 6 outputs, 1 edited by a reviewer; left out: 1 duplicate, 1 rejected, 1 local-model prompt without messages\n")
        #expect(try lines(out) == [
            #"{"messages":[{"role":"system","content":"한빛 에이전시의 말투: 따뜻하고 구체적으로."},{"role":"user","content":"봄꽃 축제 카피"},{"role":"assistant","content":"봄꽃 축제에서 만나요."}]}"#,
            #"{"messages":[{"role":"user","content":"Tagline for green tea"},{"role":"assistant","content":"Green tea, slowly."}]}"#,
            #"{"messages":[{"role":"user","content":"Title for green tea"},{"role":"assistant","content":"Slow Tea"}]}"#,
        ])
        #expect(!FileManager.default.fileExists(atPath: home.folder.appendingPathComponent("data.valid.jsonl").path))
    }

    @Test func approvedOnlyKeepsTheRunsWhoseLastDecisionApproved() throws {
        let home = try PromptHome()
        try makeStore(home)
        let out = home.folder.appendingPathComponent("data.jsonl").path
        let result = try home.baton(["dataset", "export", "--out", out, "--approved-only", "--step", "copy", "--valid-fraction", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try lines(out).map { $0.contains("봄꽃 축제에서 만나요.") || $0.contains("Green tea, slowly.") } == [true, true])
        #expect(result.stdout.hasSuffix(": 6 runs, 5 outputs, 1 edited by a reviewer; left out: 1 rejected, 2 not approved\n"))
    }

    /// The manifest ties each line to its attempt and review rows, and its hash is the file's.
    @Test func theManifestNamesTheRowsAndTheFilesHash() throws {
        let home = try PromptHome()
        try makeStore(home)
        let out = home.folder.appendingPathComponent("data.jsonl").path
        let result = try home.baton(["dataset", "export", "--out", out, "--valid-fraction", "0.34", "--seed", "7", "--since", "2026-11-29", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let written = try String(contentsOfFile: home.folder.appendingPathComponent("data.manifest.json").path, encoding: .utf8)
        #expect(written == result.stdout)
        let sha = try #require(manifest["data_sha256"] as? String)
        let sum = try #require(ChildProcess.run(["sha256sum", out]))
        #expect(sum.output.hasPrefix(sha + " "))
        let counts = try #require(manifest["counts"] as? [String: Int])
        #expect(counts["train"] == 2 && counts["valid"] == 1 && counts["examples"] == 3)
        #expect(try lines(out).count == 2)
        #expect(try lines(home.folder.appendingPathComponent("data.valid.jsonl").path).count == 1)
        let examples = try #require(manifest["examples"] as? [[String: Any]])
        let edited = try #require(examples.first { $0["edited"] as? Bool == true })
        #expect(edited["run_id"] as? String == "20261129-021530-000001")
        #expect(edited["step"] as? String == "copy")
        let store = try AuditStore(path: home.db, create: false, readOnly: true)
        let attempt = try #require(try store.attempts(run: "20261129-021530-000001").first { $0.stepID == "copy" })
        let review = try #require(try store.reviews(run: "20261129-021530-000001").last)
        #expect(edited["attempt_row"] as? Int == attempt.sequence)
        #expect(edited["review_row"] as? Int == review.sequence)
    }

    @Test(arguments: [
        (["dataset", "export"], "error: --out FILE.jsonl is required"),
        (["dataset", "export", "--out", "data.csv"], "error: --out must name a .jsonl file, got 'data.csv'"),
        (["dataset", "export", "--out", "d.jsonl", "--valid-fraction", "1"], "error: --valid-fraction must be a number from 0 to 0.9, got '1'"),
        (["dataset", "export", "--out", "d.jsonl", "--since", "yesterday"], "error: --since takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), not 'yesterday'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let home = try PromptHome()
        let result = try home.baton(arguments)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
    }

    @Test func aStoreWithNothingToExportFails() throws {
        let home = try PromptHome()
        try makeStore(home)
        let result = try home.baton(["dataset", "export", "--out", "d.jsonl", "--workflow", "other"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: no outputs to export (1 run, 0 outputs)\n")
    }
}

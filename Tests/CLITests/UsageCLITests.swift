import Audit
import Foundation
import Testing
import TestSupport

/// `baton usage` against a store written through the Audit API as the engine writes it: the sums
/// must equal those of the stored rows, reused answers excluded.
@Suite struct UsageCLITests {
    static let t0 = Date(timeIntervalSince1970: 1_795_918_530)  // 2026-11-29T02:15:30Z
    static let server = "http://127.0.0.1:8080/v1#gpt-4o-mini"
    static let local = "gguf:sha256:" + String(repeating: "ab", count: 32)

    /// Three runs over two workflows and two days, a retry, a local model, and one attempt reused
    /// from an earlier run (which sent no request).
    func makeStore(_ home: PromptHome) throws -> AuditStore {
        let store = try AuditStore(path: home.db)
        let runs: [(id: String, workflow: String, day: Double, attempts: [(model: String, tin: Int, tout: Int, ms: Int, reused: Bool)])] = [
            ("20261129-021530-000001", "campaign-copy", 0, [(Self.server, 120, 40, 900, false), (Self.server, 130, 45, 800, false)]),
            ("20261130-021530-000002", "campaign-copy", 1, [(Self.server, 130, 45, 0, true), (Self.local, 50, 12, 300, false)]),
            ("20261130-031530-000003", "주간-리포트", 1.05, [(Self.local, 1_000, 250, 2_000, false)]),
        ]
        for run in runs {
            let start = Self.t0.addingTimeInterval(run.day * 86_400)
            _ = try store.startRun(NewRun(workflow: run.workflow, workflowSource: "name: \(run.workflow)\n", startedAt: start, id: run.id))
            for (index, attempt) in run.attempts.enumerated() {
                let extra = attempt.reused ? #"{"reused_from":{"run":"20261129-021530-000001","attempt":2}}"# : nil
                _ = try store.appendAttempt(StepAttemptRecord(
                    runID: run.id, stepID: "step\(index)", kind: "generate", status: .succeeded, model: attempt.model,
                    outputText: "카피", tokensIn: attempt.tin, tokensOut: attempt.tout, latencyMs: attempt.ms,
                    startedAt: start, finishedAt: start.addingTimeInterval(1), extraJSON: extra))
            }
            try store.finishRun(id: run.id, status: .succeeded, finishedAt: start.addingTimeInterval(2))
        }
        return store
    }

    /// The sums computed from the stored rows themselves, per workflow.
    func expectedByWorkflow(_ store: AuditStore) throws -> [String: (runs: Int, calls: Int, tin: Int, tout: Int)] {
        var sums: [String: (runs: Int, calls: Int, tin: Int, tout: Int)] = [:]
        for run in try store.runs() {
            let spent = try store.attempts(run: run.id).filter { !($0.extraJSON ?? "").contains("reused_from") }
            var entry = sums[run.workflow] ?? (0, 0, 0, 0)
            entry.runs += spent.isEmpty ? 0 : 1
            entry.calls += spent.count
            entry.tin += spent.reduce(0) { $0 + ($1.tokensIn ?? 0) }
            entry.tout += spent.reduce(0) { $0 + ($1.tokensOut ?? 0) }
            sums[run.workflow] = entry
        }
        return sums
    }

    /// The rows `baton usage ARGUMENTS --json` prints in `home`, once it has exited 0.
    func usageRows(_ home: PromptHome, _ arguments: [String]) throws -> [[String: Any]] {
        let result = try home.baton(["usage"] + arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    @Test func usageByWorkflowEqualsTheStoredRows() throws {
        let home = try PromptHome()
        let store = try makeStore(home)
        let result = try home.baton(["usage", "--by", "workflow", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let expected = try expectedByWorkflow(store)
        #expect(rows.count == expected.count)
        for row in rows {
            let group = try #require(row["group"] as? String)
            let sums = try #require(expected[group])
            #expect(row["runs"] as? Int == sums.runs)
            #expect(row["calls"] as? Int == sums.calls)
            #expect(row["tokens_in"] as? Int == sums.tin)
            #expect(row["tokens_out"] as? Int == sums.tout)
        }
        // The figures themselves, so the test cannot pass by both sides being wrong the same way.
        #expect(result.stdout.contains(#""group": "주간-리포트""#))
        #expect(expected["campaign-copy"]?.tin == 300 && expected["campaign-copy"]?.tout == 97)

        let table = try home.baton(["usage"])
        #expect(table.stdout == """
            WORKFLOW       RUNS  CALLS  TOKENS IN  TOKENS OUT  MODEL TIME  COST
            주간-리포트    1     1      1000       250         2.0 s       0
            campaign-copy  2     3      300        97          2.0 s       ?
            total                4      1300       347         4.0 s       ?

            """)
    }

    @Test func pricesFromTheConfigGiveACostPerModel() throws {
        let home = try PromptHome()
        _ = try makeStore(home)
        try home.writeConfig("""
            servers:
              team:
                base_url: http://127.0.0.1:8080/v1
                prices:
                  gpt-4o-mini: { input: 0.15, output: 0.60, currency: USD }
            """)
        let rows = try usageRows(home, ["--by", "model"])
        let server = try #require(rows.first { $0["group"] as? String == Self.server })
        #expect(server["tokens_in"] as? Int == 250)
        #expect(server["tokens_out"] as? Int == 85)
        // 250 × 0.15 / 1e6 + 85 × 0.60 / 1e6
        #expect(abs(try #require(server["cost"] as? Double) - 0.0000885) < 1e-12)
        #expect(server["currency"] as? String == "USD")
        let local = try #require(rows.first { $0["group"] as? String == Self.local })
        #expect(local["tokens_in"] as? Int == 1_050)
        #expect(local["cost"] as? Double == 0)
        // baton runs gets a cost column once the config prices a model.
        let runs = try home.baton(["runs"]).stdout.split(separator: "\n").map(String.init)
        #expect(runs.first?.hasSuffix("TOKENS IN/OUT  COST") == true)
        #expect(runs.first { $0.hasPrefix("20261129-021530-000001") }?.hasSuffix("250/85         0.0001 USD") == true, "\(runs)")
        #expect(runs.first { $0.hasPrefix("20261130-021530-000002") }?.hasSuffix("50/12          0") == true, "\(runs)")
    }

    @Test func usageByDayAndSince() throws {
        let home = try PromptHome()
        _ = try makeStore(home)
        let rows = try usageRows(home, ["--by", "day", "--since", "2026-11-30"])
        #expect(rows.map { $0["group"] as? String } == ["2026-11-30"])
        #expect(rows.first?["tokens_in"] as? Int == 1_050)
        #expect(rows.first?["runs"] as? Int == 2)
        let bad = try home.baton(["usage", "--by", "modle"])
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("error: --by: unknown grouping 'modle' (did you mean 'model'?) (expected workflow, model, day, run, client)\n"))
    }

    /// A workflow made for one client and priced in its `models:`.
    static let clientWorkflow = """
        baton: 1
        name: copy
        client: 한빛시
        models:
          remote: { base_url: "http://127.0.0.1:8080/v1", model: gpt-4o-mini, price: { input: 1, output: 2, currency: USD } }
        steps:
          - { id: a, kind: generate, prompt: x }
        """

    /// Runs for two clients: one named by the workflow's `client:`, one by the run's `client`
    /// input (which wins), and a run with neither.
    func makeClientStore(_ home: PromptHome) throws -> AuditStore {
        let store = try AuditStore(path: home.db)
        let runs: [(id: String, source: String, inputs: String, model: String, tin: Int, tout: Int)] = [
            ("20261129-021530-00000a", Self.clientWorkflow, "{}", Self.server, 100, 50),
            ("20261129-031530-00000b", Self.clientWorkflow, #"{"client":"솔빛"}"#, Self.server, 200, 10),
            ("20261129-041530-00000c", Self.clientWorkflow, #"{"client":"솔빛"}"#, Self.local, 40, 4),
            ("20261129-051530-00000d", "name: other\n", "{}", Self.local, 300, 30),
        ]
        for (index, run) in runs.enumerated() {
            let start = Self.t0.addingTimeInterval(Double(index) * 3600)
            _ = try store.startRun(NewRun(workflow: "copy", workflowSource: run.source, inputsJSON: run.inputs, startedAt: start, id: run.id))
            _ = try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "a", kind: "generate", status: .succeeded, model: run.model,
                                                          outputText: "카피", tokensIn: run.tin, tokensOut: run.tout, latencyMs: 100,
                                                          startedAt: start, finishedAt: start.addingTimeInterval(1)))
            try store.finishRun(id: run.id, status: .succeeded, finishedAt: start.addingTimeInterval(2))
        }
        return store
    }

    @Test func usageByClientSumsTheRowsOfEachClientsRunsAtTheWorkflowsPrice() throws {
        let home = try PromptHome()
        let store = try makeClientStore(home)
        let rows = try usageRows(home, ["--by", "client"])
        // The sums from the stored rows, with each run's client as the runs were made.
        let clientOf = ["20261129-021530-00000a": "한빛시", "20261129-031530-00000b": "솔빛", "20261129-041530-00000c": "솔빛", "20261129-051530-00000d": "-"]
        var expected: [String: (runs: Int, tin: Int, tout: Int)] = [:]
        for run in try store.runs() {
            let client = try #require(clientOf[run.id])
            let attempts = try store.attempts(run: run.id)
            var entry = expected[client] ?? (0, 0, 0)
            entry.runs += 1
            entry.tin += attempts.reduce(0) { $0 + ($1.tokensIn ?? 0) }
            entry.tout += attempts.reduce(0) { $0 + ($1.tokensOut ?? 0) }
            expected[client] = entry
        }
        #expect(rows.compactMap { $0["group"] as? String } == ["-", "솔빛", "한빛시"])
        for row in rows {
            let group = try #require(row["group"] as? String)
            let sums = try #require(expected[group])
            #expect(row["runs"] as? Int == sums.runs)
            #expect(row["tokens_in"] as? Int == sums.tin)
            #expect(row["tokens_out"] as? Int == sums.tout)
        }
        // 솔빛: 200 × 1 / 1e6 + 10 × 2 / 1e6 on the server, the local call free; 한빛시: 100 + 50 × 2.
        let cost = { (group: String) in rows.first { $0["group"] as? String == group }?["cost"] as? Double }
        #expect(abs((cost("솔빛") ?? -1) - 0.00022) < 1e-12)
        #expect(abs((cost("한빛시") ?? -1) - 0.0002) < 1e-12)
        #expect(cost("-") == 0)

        // baton runs prices the runs with the workflow's price, no config needed.
        let runs = try home.baton(["runs"]).stdout.split(separator: "\n").map(String.init)
        #expect(runs.first?.hasSuffix("TOKENS IN/OUT  COST") == true, "\(runs)")
        #expect(runs.first { $0.hasPrefix("20261129-021530-00000a") }?.hasSuffix("100/50         0.0002 USD") == true, "\(runs)")
        #expect(runs.first { $0.hasPrefix("20261129-051530-00000d") }?.hasSuffix("300/30         0") == true, "\(runs)")
        // baton show too: 100 × 1 / 1e6 + 50 × 2 / 1e6.
        let shown = try home.baton(["show", "20261129-021530-00000a"]).stdout
        #expect(shown.contains("\ncost      0.000200 USD\n"), "\(shown)")
    }
}

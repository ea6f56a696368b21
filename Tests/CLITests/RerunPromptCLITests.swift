import Foundation
import Testing
import TestSupport

/// `baton rerun RUN` of a `baton prompt` run sends the same turn again as a new prompt run.
@Suite struct RerunPromptCLITests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    @Test func aPromptRunIsSentAgainOnItsModelOrTheOneNamed() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let url = server.baseURL.absoluteString
        let first = try object(try home.baton(["prompt", "슬로건 하나", "-m", "\(url)#small", "--system", "짧게", "--temperature", "0",
                                               "--max-tokens", "20", "--json"]).stdout)
        let runID = try #require(first["run_id"] as? String)

        let again = try home.baton(["rerun", runID, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        let rerun = try object(again.stdout)
        #expect(rerun["parent_run_id"] as? String == runID)
        #expect(rerun["text"] as? String == "echo: 슬로건 하나")
        #expect(rerun["model"] as? String == "\(url)#small")
        let other = try object(try home.baton(["rerun", runID, "-m", "\(url)#bigger", "--json"]).stdout)
        #expect(other["model"] as? String == "\(url)#bigger")

        // Three requests with the same messages and sampling; the last on the other model.
        let bodies = server.bodies()
        #expect(bodies.count == 3)
        for body in bodies {
            #expect(body["messages"] as? [[String: String]] == [["role": "system", "content": "짧게"], ["role": "user", "content": "슬로건 하나"]])
            #expect(body["temperature"] as? Double == 0)
            #expect(body["max_tokens"] as? Int == 20)
        }
        #expect(bodies.map { $0["model"] as? String } == ["small", "small", "bigger"])

        // The new runs are prompt runs whose parent is the first.
        let shown = try object(try home.baton(["show", try #require(rerun["run_id"] as? String), "--json"]).stdout)
        #expect(shown["trigger"] as? String == "prompt")
        #expect(shown["parent_run_id"] as? String == runID, "\(shown)")
    }

    @Test func workflowOptionsAreRefusedForAPromptRun() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let first = try object(try home.baton(["prompt", "hi", "-m", "\(server.baseURL.absoluteString)#small", "--json"]).stdout)
        let result = try home.baton(["rerun", try #require(first["run_id"] as? String), "--input", "x=1"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: --input does not apply to a prompt run (it has no workflow inputs and nothing to reuse)\n"), "\(result.stderr)")
    }
}

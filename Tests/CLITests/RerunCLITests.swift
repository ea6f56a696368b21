import Foundation
import Testing
import TestSupport

/// `baton rerun`, `baton run --reuse` and `baton diff`: a re-run calls the model only for the
/// requests that changed, the store says which attempts were reused and where from, and the diff
/// shows what a changed input did. Real binary, real SQLite file, the loopback server counting
/// the requests it gets.
@Suite struct RerunCLITests {
    let server: FakeOpenAIServer
    let folder: URL

    init() throws {
        server = try FakeOpenAIServer()
        folder = try TemporaryFolder.make("rerun-cli")
    }

    func baton(_ arguments: [String]) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": "", "BATON_STREAM": "0"], directory: folder)
    }

    /// `facts` and the `tags` items read only the topic; `copy` reads the tone, `headline` reads `copy`.
    func writeWorkflow(baseURL: String? = nil) throws -> String {
        let path = folder.appendingPathComponent("launch.yaml").path
        try """
            baton: 1
            name: launch
            inputs:
              topic: { type: string, default: 녹차 }
              tone: { type: enum, values: [warm, dry], default: warm }
            models:
              main: { provider: openai, base_url: "\(baseURL ?? server.baseURL.absoluteString)", model: fake-model }
            defaults: { model: main }
            steps:
              - { id: facts, kind: generate, prompt: "Facts about {{ inputs.topic }}" }
              - { id: copy, kind: generate, prompt: "Write {{ inputs.tone }} copy: {{ steps.facts.output }}" }
              - { id: headline, kind: generate, prompt: "Headline for {{ steps.copy.output }}" }
              - id: tags
                kind: generate
                for_each: [short, long]
                prompt: "A {{ item }} tag for {{ inputs.topic }}"
            outputs:
              headline: "{{ steps.headline.output }}"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func runJSON(_ arguments: [String]) throws -> [String: Any] {
        let result = try baton(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    /// Each attempt of a run as `baton show --json` lists it: (step label, reused_from run or nil).
    func reuse(_ runID: String) throws -> [String: String?] {
        let shown = try baton(["show", runID, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        var result: [String: String?] = [:]
        for step in steps {
            let label = "\(step["id"] as? String ?? "?")" + ((step["iteration"] as? Int).map { "[\($0)]" } ?? "")
            let extra = step["extra"] as? [String: Any]
            #expect((extra?["request_key"] as? String)?.hasPrefix("sha256:") == true, "\(label) has no request key")
            let origin = extra?["reused_from"] as? [String: Any]
            if let origin { #expect(origin["attempt"] as? Int == 1) }
            result[label] = origin?["run"] as? String
        }
        return result
    }

    @Test func aRerunWithOneInputChangedCallsTheModelOnlyForTheStepsThatDependOnIt() throws {
        let file = try writeWorkflow()
        let first = try runJSON(["run", file])
        let firstID = try #require(first["run_id"] as? String)
        #expect(server.requestCount == 5)

        let second = try runJSON(["rerun", firstID, "--input", "tone=dry"])
        let secondID = try #require(second["run_id"] as? String)
        #expect(second["status"] as? String == "succeeded")
        #expect(Array(server.prompts().dropFirst(5)) == ["Write dry copy: echo: Facts about 녹차",
                                                         "Headline for echo: Write dry copy: echo: Facts about 녹차"])
        #expect((second["outputs"] as? [String: Any])?["headline"] as? String == "echo: Headline for echo: Write dry copy: echo: Facts about 녹차")
        #expect(try reuse(secondID) == ["facts": firstID, "copy": nil, "headline": nil, "tags[0]": firstID, "tags[1]": firstID])
        #expect(try baton(["audit", "verify"]).status == 0)
        #expect(try baton(["show", secondID]).stdout.contains("\nre-runs   \(firstID)\n"))

        // The diff names the changed input, the reused steps, and the changed word.
        let diff = try baton(["diff", firstID, secondID])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("inputs:\n  tone: \"warm\" → \"dry\"\n"), "\(diff.stdout)")
        #expect(diff.stdout.contains("step facts · generate · reused from run \(firstID) attempt 1\n  prompt: same\n  output: same\n"), "\(diff.stdout)")
        #expect(diff.stdout.contains("step copy · generate · ran again\n  prompt:\n    Write [-warm-]{+dry+} copy: echo: Facts about 녹차\n"), "\(diff.stdout)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try baton(["diff", firstID, secondID, "--json"]).stdout.utf8)) as? [String: Any])
        #expect((json["inputs"] as? [[String: Any]])?.map { "\($0["name"] ?? "")=\($0["a"] ?? "")→\($0["b"] ?? "")" } == ["tone=warm→dry"])
        let steps = try #require(json["steps"] as? [[String: Any]])
        let copy = try #require(steps.first { $0["step"] as? String == "copy" })
        #expect(copy["prompt_diff"] as? String == "Write [-warm-]{+dry+} copy: echo: Facts about 녹차")
        #expect(copy["reused_from"] is NSNull)
        let facts = try #require(steps.first { $0["step"] as? String == "facts" })
        #expect((facts["reused_from"] as? [String: Any])?["run"] as? String == firstID)
        #expect(facts["prompt_changed"] as? Bool == false && facts["output_changed"] as? Bool == false)
    }

    @Test func aRerunWithNothingChangedSendsNoRequestAndFreshSendsThemAll() throws {
        let file = try writeWorkflow()
        let firstID = try #require(try runJSON(["run", file])["run_id"] as? String)
        #expect(server.requestCount == 5)
        let same = try runJSON(["rerun", String(firstID.prefix(12))])
        #expect(same["status"] as? String == "succeeded")
        #expect(server.requestCount == 5)
        #expect(try runJSON(["rerun", firstID, "--fresh"])["status"] as? String == "succeeded")
        #expect(server.requestCount == 10)
    }

    @Test func runReuseIsAStepCacheAcrossRunsAndOffByDefault() throws {
        let file = try writeWorkflow()
        _ = try runJSON(["run", file])
        _ = try runJSON(["run", file])
        #expect(server.requestCount == 10)
        _ = try runJSON(["run", file, "--reuse"])
        #expect(server.requestCount == 10)
        _ = try runJSON(["run", file, "--reuse", "--input", "topic=홍차"])
        // facts, copy, headline and both tags read the topic (directly or through facts).
        #expect(server.requestCount == 15)
    }

    /// A changed model is a changed request: nothing that model answered is reused.
    @Test func aRerunOnAnotherModelCallsItForEveryStep() throws {
        let file = try writeWorkflow()
        let firstID = try #require(try runJSON(["run", file])["run_id"] as? String)
        _ = try runJSON(["rerun", firstID, "--model", "main=\(server.baseURL.absoluteString)#other-model"])
        #expect(server.requestCount == 10)
    }

    /// Resume finishes a run with its own inputs; a changed one is refused and points to rerun.
    @Test func resumeRefusesAChangedInputAndPointsToRerun() throws {
        let file = try writeWorkflow(baseURL: "http://127.0.0.1:1/v1")
        let failed = try baton(["run", file, "--json"])
        #expect(failed.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [String: Any])
        let runID = try #require(object["run_id"] as? String)
        let refused = try baton(["resume", runID, "--input", "tone=dry"])
        #expect(refused.status == 64)
        #expect(refused.stderr == "error: input 'tone' differs from run \(runID)'s (\"warm\" there); resume only finishes a run with its own inputs. To run again with the change: baton rerun \(runID) --input tone=dry\n")
        // The same value is no change.
        let same = try baton(["resume", runID, "--input", "tone=warm"])
        #expect(same.status == 1)
        #expect(same.stderr.contains("resuming run \(runID)"), "\(same.stderr)")
    }

    /// A misspelt `--model` name or a server address without a scheme is a usage error, and no
    /// run is recorded.
    @Test(arguments: [
        ("mian=http://127.0.0.1:9/v1#m", "error: --model: 'launch' has no model 'mian' (did you mean 'main'?)"),
        ("main=127.0.0.1:9/v1#m", "error: --model: '127.0.0.1:9/v1' is not a server address; it needs http:// or https:// and a host (e.g. http://localhost:11434/v1)"),
    ])
    func aBadModelOverrideIsAUsageErrorBeforeAnyRun(override: String, message: String) throws {
        let file = try writeWorkflow()
        let result = try baton(["run", file, "--model", override])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
        #expect(server.requestCount == 0)
        let listed = try baton(["runs", "--json"])
        #expect(listed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]" || listed.status != 0, "\(listed.stdout)")
    }
}

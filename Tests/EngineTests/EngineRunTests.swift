import Base
import Foundation
import Testing
import Audit
import Template
import Workflow
@testable import Engine
@testable import Scheduler
@testable import Providers

/// The engine against the real loopback server and a real SQLite store.
@Suite struct EngineRunTests {
    static let campaign = """
        baton: 1
        name: campaign
        inputs:
          product: { type: string }
          secret_code: { type: string, secret: true }
        MODELS
        defaults: { model: remote, temperature: 0.2, seed: 7, retry: { attempts: 3, backoff: 10ms } }
        steps:
          - id: copy
            kind: generate
            system: 카피라이터입니다. 코드 {{ inputs.secret_code }}
            prompt: "슬로건: {{ inputs.product }}"
          - id: summary
            kind: summarize
            text: "{{ steps.copy.output }}"
            max_words: 20
          - id: english
            kind: translate
            text: "{{ steps.copy.output }}"
            from: ko
            to: en
          - id: sheet
            kind: template
            template: "# {{ inputs.product }}\\n{{ steps.summary.output }}\\n{{ steps.english.output }}"
            files:
              - { path: "sheets/{{ inputs.product }}.md", content: "{{ output }}" }
        outputs:
          copy: "{{ steps.copy.output }}"
          files:
            - { path: result.md, content: "{{ steps.sheet.output }}" }
        """

    @Test func aWorkflowRunsEndToEndAndTheRowsMatchWhatTheServerReceived() async throws {
        let harness = try EngineHarness()
        let result = try await harness.run(Self.campaign, inputs: ["product": "텀블러", "secret_code": "비밀코드77"])
        #expect(result.status == .succeeded)
        #expect(result.error == nil)
        #expect(result.outputs.map(\.name) == ["copy"])
        #expect(result.outputs.first?.value == "echo: 슬로건: 텀블러")
        #expect(result.steps == ["copy": "succeeded", "summary": "succeeded", "english": "succeeded", "sheet": "succeeded"])
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.stepID).sorted() == ["copy", "english", "sheet", "summary"])
        // Every model row's prompt is what the server received, and its output what it answered.
        let received = harness.server.bodies()
        #expect(received.count == 3)
        for row in rows where row.kind != "template" {
            let body = try #require(received.first { body in
                let messages = body["messages"] as? [[String: Any]] ?? []
                let text = messages.count == 1 ? messages[0]["content"] as? String
                    : Value.list(messages.map { .dict(["role": .string($0["role"] as? String ?? ""), "content": .string($0["content"] as? String ?? "")]) }).jsonString()
                return text.map { row.prompt == SecretMasker(secrets: ["비밀코드77"]).mask($0) } ?? false
            }, "no request matches the row of \(row.stepID)")
            #expect(body["model"] as? String == "fake-model")
            #expect(body["temperature"] as? Double == 0.2)
            #expect(body["seed"] as? Int == 7)
            #expect(row.model == "\(harness.server.baseURL.absoluteString)#fake-model")
            #expect(row.parametersJSON == #"{"temperature":0.2,"seed":7,"retry":{"attempts":3,"backoff_ms":10}}"#)
            #expect(row.tokensIn != nil && row.tokensOut != nil)
            #expect(row.status == .succeeded)
        }
        let copy = try #require(rows.first { $0.stepID == "copy" })
        #expect(copy.prompt == #"[{"role":"system","content":"카피라이터입니다. 코드 ***"},{"role":"user","content":"슬로건: 텀블러"}]"#)
        #expect(copy.outputText == "echo: 슬로건: 텀블러")
        // The secret input reached the server but not the store; nor did the API key.
        #expect(harness.server.requests().first?["authorization"] as? String == "Bearer sk-fake-secret-42")
        let database = try Data(contentsOf: URL(fileURLWithPath: harness.store.path))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: harness.store.path + "-wal"))) ?? Data()
        for secret in ["비밀코드77", "sk-fake-secret-42"] {
            #expect(database.range(of: Data(secret.utf8)) == nil && wal.range(of: Data(secret.utf8)) == nil)
        }
        // Files: written inside the output folder and recorded with their SHA-256.
        let sheet = "# 텀블러\n" + "echo: " + (rows.first { $0.stepID == "summary" }?.prompt ?? "") + "\n" + "echo: " + (rows.first { $0.stepID == "english" }?.prompt ?? "") + "\n"  // text files end with a line break
        #expect(harness.file("sheets/텀블러.md") == sheet)
        #expect(harness.file("result.md") == sheet)
        let files = try harness.store.files(run: result.runID)
        #expect(files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["텀블러.md", "result.md"])
        #expect(files.first?.sha256 == SHA256.hash(Array(sheet.utf8)).hex)
        #expect(try harness.store.verify(run: result.runID).isEmpty)
        #expect(try harness.store.run(id: result.runID)?.status == .succeeded)
    }

    /// Transient faults are retried until an attempt succeeds; each attempt is its own row.
    @Test(arguments: [("[[429:0x1]]", 2), ("[[500x2]]", 3), ("[[resetx1]]", 2), ("[[invalid-jsonx1]]", 2), ("[[503x1]]", 2)])
    func transientFailuresAreRetried(marker: String, requests: Int) async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: retry
            MODELS
            defaults: { model: remote, retry: { attempts: 3, backoff: 5ms } }
            steps:
              - { id: copy, kind: generate, prompt: "카피 \(marker)" }
            """)
        #expect(result.status == .succeeded)
        #expect(harness.server.requestCount == requests)
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.attempt) == Array(1...requests))
        #expect(rows.map(\.status) == Array(repeating: .failed, count: requests - 1) + [.succeeded])
    }

    /// Failures a retry cannot fix are not retried, and the error names the cause.
    @Test func aBadRequestAndAnUnknownModelFailAtOnce() async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: bad
            MODELS
              missing: { provider: openai, base_url: "\(harness.server.baseURL.absoluteString)", model: unknown-model }
            defaults: { model: remote, retry: { attempts: 3, backoff: 5ms } }
            steps:
              - { id: bad, kind: generate, prompt: "카피 [[400]]" }
              - { id: lost, kind: generate, model: missing, prompt: "카피" }
            """)
        #expect(result.status == .failed)
        let rows = try harness.attempts(result.runID)
        #expect(rows.count == 2)
        let bad = try #require(rows.first { $0.stepID == "bad" })
        #expect(bad.error == "bad_request: \(harness.server.baseURL.absoluteString)/chat/completions: HTTP 400: injected 400")
        let lost = try #require(rows.first { $0.stepID == "lost" })
        #expect(lost.error?.hasSuffix("HTTP 404: The model 'unknown-model' does not exist") == true)
        #expect(result.error == "2 steps failed: 'bad', 'lost'; first: \(bad.error ?? "")")
    }

    @Test func aSlowAnswerTimesOutOnEveryAttempt() async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: slow
            MODELS
            defaults: { model: remote, retry: { attempts: 2, backoff: 5ms }, timeout: 200ms }
            steps:
              - { id: copy, kind: generate, prompt: "카피 [[slow:3]]" }
            """)
        #expect(result.status == .failed)
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.error) == Array(repeating: "timeout: \(harness.server.baseURL.absoluteString)/chat/completions: no complete answer within 0.2 s", count: 2))
    }

    @Test func aFalseWhenSkipsTheStepAndItsDependentsStillRun() async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: when
            inputs:
              tone: { type: string, default: playful }
            steps:
              - { id: formal, kind: template, template: "격식", when: "{{ inputs.tone != 'playful' }}" }
              - { id: after, kind: template, template: "after {{ steps.formal.status }} {{ steps.formal.output }}" }
            outputs:
              after: "{{ steps.after.output }}"
            """)
        #expect(result.status == .succeeded)
        #expect(result.outputs.first?.value == "after skipped None")
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.status) == [.skipped, .succeeded])
        #expect(rows.first?.extraJSON == #"{"when":"{{ inputs.tone != 'playful' }}"}"#)
    }

    @Test func invalidJSONFromExtractGetsARepairRetry() async throws {
        let harness = try EngineHarness(config: #"{"replies": [{"match": "Extract", "reply": "Sure! name is Tumbler", "times": 1}, {"match": "", "reply": "{\"name\": \"Tumbler\", \"price\": 12000}"}]}"#)
        let result = try await harness.run("""
            baton: 1
            name: extract
            MODELS
            defaults: { model: remote }
            steps:
              - { id: facts, kind: extract, text: "Tumbler costs 12000 won", schema: { name: string, price: integer } }
            outputs:
              price: "{{ steps.facts.output.price }}"
            """)
        #expect(result.status == .succeeded)
        #expect(result.outputs.first?.value == .int(12000))
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.status) == [.failed, .succeeded])
        #expect(rows.first?.error == "invalid_json: the answer contains no JSON object")
        #expect(rows.last?.outputJSON == #"{"name":"Tumbler","price":12000}"#)
        let repair = try #require(harness.server.bodies().last?["messages"] as? [[String: Any]])
        #expect(repair.map { $0["role"] as? String } == ["user", "assistant", "user"])
        #expect((repair[2]["content"] as? String)?.hasPrefix("Your answer is not valid JSON for the schema: the answer contains no JSON object.") == true)
        #expect(harness.server.bodies().first.flatMap { ($0["response_format"] as? [String: Any])?["type"] as? String } == "json_object")
    }

    /// A greedy model repeats its answer to the same request: each follow-up must change the
    /// request (the conversation grows) and name the specific problem with its JSON path.
    @Test func everyRepairRequestDiffersAndNamesTheProblem() async throws {
        let harness = try EngineHarness(config: #"{"replies": [{"match": "", "reply": "{\"name\": \"Tumbler\", \"tags\": \"cup travel\"}"}]}"#)
        let result = try await harness.run("""
            baton: 1
            name: repairs
            MODELS
            defaults: { model: remote, temperature: 0, retry: { attempts: 3, backoff: 5ms } }
            steps:
              - { id: facts, kind: extract, text: "Tumbler, for travel", schema: { name: string, tags: [string] } }
            """)
        #expect(result.status == .failed)
        let bodies = harness.server.bodies()
        #expect(bodies.count == 3)
        let conversations = bodies.map { ($0["messages"] as? [[String: Any]] ?? []).map { $0["content"] as? String ?? "" } }
        #expect(Set(conversations.map { $0.joined(separator: "\u{1}") }).count == 3)
        #expect(conversations.map(\.count) == [1, 3, 5])
        #expect(conversations.last?.last?.hasPrefix("Your answer is not valid JSON for the schema: $.tags: expected an array, found a string.") == true)
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.error) == Array(repeating: "invalid_json: $.tags: expected an array, found a string", count: 3))
    }

    @Test func aMissingGlossaryTermIsRetriedOnceNamingIt() async throws {
        let harness = try EngineHarness(config: #"{"replies": [{"match": "Translate", "reply": "The Hanbit festival opens.", "times": 1}, {"match": "Translate", "reply": "The Hanbit City festival opens."}]}"#)
        let result = try await harness.run("""
            baton: 1
            name: glossary
            MODELS
            defaults: { model: remote }
            steps:
              - { id: en, kind: translate, text: "한빛시 축제가 열린다.", from: ko, to: en, glossary: { 한빛시: Hanbit City } }
            """)
        #expect(result.status == .succeeded)
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.status) == [.failed, .succeeded])
        #expect(rows.first?.error == "glossary: 'Hanbit City' (for '한빛시') is missing")
        #expect(stepExtra(rows.first?.extraJSON) == #"{"glossary_check":{"terms":1,"checked":["한빛시"],"ok":false,"missing":[{"source":"한빛시","target":"Hanbit City"}]}}"#)
        #expect(stepExtra(rows.last?.extraJSON) == #"{"glossary_check":{"terms":1,"checked":["한빛시"],"ok":true,"missing":[]}}"#)
        let retry = try #require(harness.server.bodies().last?["messages"] as? [[String: Any]])
        #expect(retry.last?["content"] as? String == "The translation is missing required glossary terms: '한빛시' must be translated as 'Hanbit City'. Answer again with the whole translation, using these terms.")
    }

    @Test(arguments: ["../escape.md", "/tmp/escape.md", "a/../../b.md"])
    func aPathOutsideTheOutputFolderIsRefused(path: String) async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: paths
            inputs:
              path: { type: string }
            steps:
              - id: note
                kind: template
                template: 내용
                files:
                  - { path: "{{ inputs.path }}", content: "{{ output }}" }
            """, inputs: ["path": .string(path)])
        #expect(result.status == .failed)
        let row = try #require(try harness.attempts(result.runID).first)
        #expect(row.error?.hasPrefix("files: refused to write '\(path)': ") == true)
        #expect(!FileManager.default.fileExists(atPath: harness.directory.appendingPathComponent("escape.md").path))
    }
}

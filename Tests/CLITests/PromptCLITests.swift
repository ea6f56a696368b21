import Base
import Foundation
import Testing
import TestSupport

/// A folder standing in for a user's home: its own model folder, config file and audit store,
/// so `baton prompt` and `baton models` see only what a test puts there.
final class PromptHome {
    let folder: URL
    var models: URL { folder.appendingPathComponent("models") }
    var db: String { folder.appendingPathComponent("baton.db").path }
    var configPath: String { folder.appendingPathComponent(".baton/config.yaml").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-prompt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".baton"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Puts SmolLM2's GGUF in the model folder under its usual name (a symbolic link).
    func linkSmolLM2() throws {
        let source = try #require(ReferenceModels.smolLM2)
        try FileManager.default.createSymbolicLink(atPath: models.appendingPathComponent(ReferenceModels.smolLM2FileName).path, withDestinationPath: source)
    }

    func writeConfig(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    func baton(_ arguments: [String], stdin: String? = nil) throws -> BatonProcess {
        try BatonProcess.run(arguments, stdin: stdin, environment: ["HOME": folder.path, "BATON_MODELS": models.path, "BATON_DB": db,
                                                                    "BATON_CONFIG": "", "BATON_MODEL_OVERRIDES": ""],
                             directory: folder)
    }

    /// `baton show RUN --json`'s object.
    func shown(_ run: String) throws -> [String: Any] {
        let result = try baton(["show", run, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }
}

@Suite struct PromptCLITests {
    /// The first "must show": a piped prompt answered by the local default model, listed
    /// by `baton runs` with its tokens, the printed reply equal to the recorded one.
    @Test(.requiresSmolLM2) func pipedPromptIsAnsweredByTheLocalDefaultModelAndRecorded() throws {
        let home = try PromptHome()
        try home.linkSmolLM2()
        let result = try home.baton(["prompt", "--temperature", "0", "--max-tokens", "12"], stdin: "Write a slogan for coffee\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)

        let runs = try home.baton(["runs", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        let run = try #require(list.first)
        #expect(list.count == 1)
        #expect(run["workflow"] as? String == "prompt")
        #expect(run["trigger"] as? String == "prompt")
        #expect(run["status"] as? String == "succeeded")
        let tokensIn = try #require(run["tokens_in"] as? Int)
        let tokensOut = try #require(run["tokens_out"] as? Int)
        #expect(tokensIn > 5)
        #expect((1...12).contains(tokensOut))

        let shown = try home.shown(try #require(run["id"] as? String))
        let steps = try #require(shown["steps"] as? [[String: Any]])
        #expect(steps.count == 1)
        let step = try #require(steps.first)
        #expect(step["tokens_in"] as? Int == tokensIn)
        #expect(step["tokens_out"] as? Int == tokensOut)
        // The model identity is the file's SHA-256, taken from the store's digest cache.
        let digest = try SHA256.hash(fileAt: try #require(ReferenceModels.smolLM2)).hex
        #expect(step["model"] as? String == "gguf:sha256:" + digest)
        let output = try #require(step["output"] as? String)
        #expect(result.stdout == output + (output.hasSuffix("\n") ? "" : "\n"))
        // The prompt recorded is the messages sent, the chat template's rendering beside them,
        // with the piped text as the user turn.
        let sent = try JSONSerialization.jsonObject(with: Data((step["prompt"] as? String ?? "").utf8)) as? [[String: String]]
        #expect(sent == [["role": "user", "content": "Write a slogan for coffee\n"]])
        let prompt = try #require((step["extra"] as? [String: Any])?["rendered_prompt"] as? String)
        #expect(prompt.contains("<|im_start|>user\nWrite a slogan for coffee\n<|im_end|>"))
        let table = try home.baton(["runs"])
        #expect(table.stdout.contains("prompt    succeeded  prompt"))
        #expect(table.stdout.contains("\(tokensIn)/\(tokensOut)"))
    }

    /// Stdin and TEXT are joined by a space, as `llm` does; `--system` comes first; the reply is
    /// streamed from an OpenAI-compatible server named URL#MODEL.
    @Test func stdinAndTextAreJoinedAndSentToAServer() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let result = try home.baton(["prompt", "요약해 줘", "-m", "\(server.baseURL.absoluteString)#small", "--system", "한국어로 답하세요"],
                                    stdin: "브리프 본문")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "echo: 브리프 본문 요약해 줘\n")
        let body = try #require(server.bodies().first)
        #expect(body["model"] as? String == "small")
        #expect(body["stream"] as? Bool == true)
        let messages = try #require(body["messages"] as? [[String: String]])
        #expect(messages == [["role": "system", "content": "한국어로 답하세요"], ["role": "user", "content": "브리프 본문 요약해 줘"]])

        let json = try home.baton(["prompt", "hello there", "-m", "\(server.baseURL.absoluteString)#small", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "echo: hello there")
        #expect(object["tokens_in"] as? Int == 2)
        #expect(object["tokens_out"] as? Int == 3)
        #expect(object["status"] as? String == "succeeded")
    }

    /// `-m SERVER` and `-m SERVER:MODEL` name servers of the user's config file.
    @Test func configuredServersAreNamedWithColon() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        try home.writeConfig("""
            servers:
              team:
                base_url: \(server.baseURL.absoluteString)
                default_model: qwen2.5:7b
            """)
        #expect(try home.baton(["prompt", "one", "-m", "team"]).status == 0)
        #expect(try home.baton(["prompt", "two", "-m", "team:llama3.1:8b"]).status == 0)
        #expect(server.bodies().map { $0["model"] as? String } == ["qwen2.5:7b", "llama3.1:8b"])
        let runs = try home.baton(["runs", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        #expect(list.map { $0["tokens_out"] as? Int } == [2, 2])
    }

    @Test func aConfigFileWithAMistakeIsReportedByLineAndColumn() throws {
        let home = try PromptHome()
        try home.writeConfig("""
            servers:
              team:
                base_ur: http://localhost:11434/v1
            """)
        let result = try home.baton(["prompt", "hi", "-m", "team"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(home.configPath):3:5: error: unknown key 'base_ur' in server 'team' (did you mean 'base_url'?) (expected base_url, api_key_env, default_model, prices)
                base_ur: http://localhost:11434/v1
                ^

            """)
    }

    @Test func anUnknownModelIsAUsageErrorWithASuggestion() throws {
        let home = try PromptHome()
        try Data().write(to: home.models.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf"))
        let result = try home.baton(["prompt", "hi", "-m", "SmolLM3"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: -m: unknown model 'SmolLM3' (did you mean 'SmolLM2'?); 'baton models' lists them\n"))
        let empty = try home.baton(["prompt"], stdin: "")
        #expect(empty.status == 64)
        #expect(empty.stderr.hasPrefix("error: nothing to send: give TEXT or pipe text on stdin\n"))
    }
}

/// Ctrl-C during a reply: the run is kept, marked interrupted, with what came so far.
@Suite struct PromptInterruptCLITests {
    @Test func sigintStopsTheReplyAndMarksTheRunInterrupted() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["prompt", "[[slow:20]] a slow answer", "-m", "\(server.baseURL.absoluteString)#small"]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.folder.path
        environment["BATON_DB"] = home.db
        environment["BATON_CONFIG"] = ""
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errURL = home.folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try Spawn.run(process)
        // Wait until the request reached the server, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(30)
        while server.requestCount == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(server.requestCount == 1)
        let sent = Date()
        process.interrupt()
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(sent) < 10)
        #expect(process.terminationStatus == 1)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        #expect(stderr.contains("baton: interrupted; the partial reply is kept in run "), "\(stderr)")
        let runs = try home.baton(["runs", "--json"])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        #expect(list.first?["status"] as? String == "interrupted")
        let shown = try home.shown(try #require(list.first?["id"] as? String))
        let step = try #require((shown["steps"] as? [[String: Any]])?.first)
        #expect(step["status"] as? String == "cancelled")
        #expect((step["error"] as? String)?.hasPrefix("interrupted (SIGINT); partial reply kept") == true)
    }
}

import Foundation
import Testing
import TestSupport

/// `baton models`: the model folder's GGUFs from their own metadata, and the config's servers.
@Suite struct ModelsCLITests {
    /// The "must show": the default GGUF with its architecture and quantization.
    @Test(.requiresSmolLM2) func listsTheDefaultGGUFWithArchitectureAndQuantization() throws {
        let home = try PromptHome()
        try home.linkSmolLM2()
        try Data("not a gguf".utf8).write(to: home.models.appendingPathComponent("broken.gguf"))
        let result = try home.baton(["models", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let local = try #require(object["local"] as? [[String: Any]])
        #expect(local.map { $0["file"] as? String } == ["SmolLM2-135M-Instruct.Q4_1.gguf", "broken.gguf"])
        let smol = local[0]
        #expect(smol["architecture"] as? String == "llama")
        #expect(smol["quantization"] as? String == "Q4_1")
        #expect(smol["chat_template"] as? Bool == true)
        #expect(smol["context_length"] as? Int == 8192)
        #expect((134_000_000...135_000_000).contains(try #require(smol["parameters"] as? Int)))
        #expect(smol["error"] is NSNull)
        // A damaged file is listed with its problem, not fatal to the list.
        #expect((local[1]["error"] as? String)?.contains("broken.gguf") == true)
        #expect(local[1]["architecture"] is NSNull)

        let table = try home.baton(["models"])
        #expect(table.stdout.contains("SmolLM2-135M-Instruct.Q4_1.gguf  llama  135M    Q4_1"))
    }

    @Test func serversFromTheConfigAreListedAndChecked() throws {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        try home.writeConfig("""
            default_model: team
            servers:
              team:
                base_url: \(server.baseURL.absoluteString)
                default_model: fake-model
                prices:
                  fake-model: { input: 0.5, output: 1.5 }
              gone:
                base_url: http://127.0.0.1:9/v1
                api_key_env: GONE_KEY
            """)
        let result = try home.baton(["models", "--check", "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let servers = try #require(object["servers"] as? [[String: Any]])
        #expect(servers.map { $0["name"] as? String } == ["team", "gone"])
        #expect(servers[0]["default_model"] as? String == "fake-model")
        #expect(servers[1]["api_key_env"] as? String == "GONE_KEY")
        let price = try #require((servers[0]["prices"] as? [String: Any])?["fake-model"] as? [String: Any])
        #expect(price["input"] as? Double == 0.5)
        #expect(price["currency"] as? String == "USD")
        let ok = try #require(servers[0]["check"] as? [String: Any])
        #expect(ok["ok"] as? Bool == true)
        #expect(ok["models"] as? [String] == ["fake-model"])
        let failed = try #require(servers[1]["check"] as? [String: Any])
        #expect(failed["ok"] as? Bool == false)
        #expect((failed["error"] as? String)?.hasPrefix("http://127.0.0.1:9/v1/models: ") == true)
        // The config's default_model is what a prompt without -m uses.
        #expect(try home.baton(["prompt", "hi"]).stdout == "echo: hi\n")
    }
}

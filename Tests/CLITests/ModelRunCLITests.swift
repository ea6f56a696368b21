import Foundation
import Testing

/// `baton model logits` and `baton model generate` on the random-weight reference models.
struct ModelRunCLITests {
    static let model = ModelFixtures.path("reference/llama-f32-gqa2-ropefreqs.gguf")
    static let tokens = [11, 200, 37, 5]

    @Test func logitsWritesEveryPositionAndMatchesLlamaCpp() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("baton-logits-\(getpid()).f32")
        defer { try? FileManager.default.removeItem(at: out) }
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: ModelFixtures.path("reference/manifest.json")))) as? [String: Any]
        let first = try #require((manifest?["models"] as? [[String: Any]])?.first)
        let tokens = Array(try #require(first["tokens"] as? [Int]).prefix(4))
        let result = try BatonProcess.run(["model", "logits", Self.model, "--tokens", tokens.map(String.init).joined(separator: ","),
                                           "--out", out.path, "--json", "--threads", "1"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let ours = try Data(contentsOf: out).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let reference = try Data(contentsOf: URL(fileURLWithPath: ModelFixtures.path("reference/llama-f32-gqa2-ropefreqs.logits.f32")))
            .withUnsafeBytes { Array($0.bindMemory(to: Float.self).prefix(4 * 300)) }
        #expect(ours.count == 4 * 300)
        let error = zip(ours, reference).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / reference.reduce(0.0) { $0 + Double($1 * $1) }
        #expect(error < 1e-10)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["tokens"] as? [Int] == tokens)
        #expect(object["vocabulary"] as? Int == 300)
        let positions = try #require(object["positions"] as? [[String: Any]])
        for (index, position) in positions.enumerated() {
            let row = reference[index * 300..<(index + 1) * 300]
            #expect(position["argmax"] as? Int == row.indices.max { row[$0] < row[$1] }.map { $0 - index * 300 })
        }
    }

    @Test func generateGreedyFromTokensAsJSON() throws {
        let arguments = ["model", "generate", Self.model, "--tokens", "11,200,37,5", "--max-tokens", "6", "--temperature", "0", "--json"]
        let first = try BatonProcess.run(arguments), second = try BatonProcess.run(arguments)
        #expect(first.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let generated = try #require(object["tokens"] as? [Int])
        #expect(generated.count == 6)
        #expect(object["stop_reason"] as? String == "max_tokens")
        #expect(object["prompt_tokens"] as? Int == 4)
        #expect((object["generation_tokens_per_second"] as? Double ?? 0) > 0)
        #expect((object["prompt_tokens_per_second"] as? Double ?? 0) > 0)
        #expect(object["text"] is String)
        let again = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        #expect(again["tokens"] as? [Int] == generated)
    }

    @Test func generateStreamsTextFromAPromptWithASeed() throws {
        let arguments = ["model", "generate", Self.model, "--prompt", "안녕 hello", "--max-tokens", "5", "--temperature", "1", "--seed", "9"]
        let first = try BatonProcess.run(arguments), second = try BatonProcess.run(arguments)
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stderr.contains("prompt tokens at"))
        #expect(first.stderr.contains("generated at"))
    }

    @Test(arguments: [
        (["model", "logits", "m.gguf"], "error: give exactly one of --tokens and --prompt"),
        (["model", "logits", "m.gguf", "--tokens", "1,x"], "error: --tokens must be comma-separated token ids, found 'x'"),
        (["model", "generate", "m.gguf", "--tokens", "1", "--max-tokens", "0"], "error: --max-tokens must be a positive integer, found '0'"),
        (["model", "generate", "m.gguf", "--tokens", "1", "--temperature", "hot"], "error: --temperature must be a number, found 'hot'"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try BatonProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix(message + "\nUSAGE: baton model "))
    }

    @Test func aMissingModelOrABadTokenExits1WithTheFileNamed() throws {
        let missing = try BatonProcess.run(["model", "logits", "/nonexistent/model.gguf", "--tokens", "1"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("/nonexistent/model.gguf"))
        let bad = try BatonProcess.run(["model", "logits", Self.model, "--tokens", "1,300"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "\(Self.model): error: token id 300 is outside the vocabulary of 300\n")
    }
}

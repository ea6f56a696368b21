import Foundation
import Testing

/// The RuntimeTests fixtures (small GGUF files) used by the `baton model` command tests.
enum ModelFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("RuntimeTests/Fixtures")
    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }
}

@Test func modelInfoSummarizesAFile() throws {
    let path = ModelFixtures.path("malformed/valid.gguf")
    let result = try BatonProcess.run(["model", "info", path])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout == """
        file: \(path)
        gguf version: 3
        architecture: llama
        name: tiny
        parameters: 80
        context length: unknown
        chat template: no
        tensors: 3 (f16 1, f32 1, q8_0 1)
        metadata entries: 17

        """)
}

@Test func modelInfoShowsTheTokenizerAndTensorsAsJSON() throws {
    let text = try BatonProcess.run(["model", "info", ModelFixtures.path("tokenizer_vocabs/smollm.gguf")])
    #expect(text.stdout.contains("tokenizer: gpt2, pre smollm, 959 tokens\ntensors: 0\n"))
    let vocab = try BatonProcess.run(["model", "info", "--json", ModelFixtures.path("tokenizer_vocabs/smollm.gguf")])
    let vocabObject = try #require(try JSONSerialization.jsonObject(with: Data(vocab.stdout.utf8)) as? [String: Any])
    let tokenizer = try #require(vocabObject["tokenizer"] as? [String: Any])
    #expect(tokenizer["model"] as? String == "gpt2")
    #expect(tokenizer["pre"] as? String == "smollm")
    #expect(tokenizer["tokens"] as? Int == 959)
    let result = try BatonProcess.run(["model", "info", "--json", ModelFixtures.path("malformed/valid.gguf")])
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["architecture"] as? String == "llama")
    #expect(object["parameters"] as? Int == 80)
    #expect(object["tensor_types"] as? [String: Int] == ["f16": 1, "f32": 1, "q8_0": 1])
    let tensors = try #require(object["tensors"] as? [[String: Any]])
    #expect(tensors.map { $0["name"] as? String } == ["a", "b", "c"])
    #expect(tensors.map { $0["shape"] as? [Int] } == [[8, 2], [32], [32, 1]])
}

@Test func modelInfoOnACorruptFileIsAnError() throws {
    let path = ModelFixtures.path("malformed/bad_magic.gguf")
    let result = try BatonProcess.run(["model", "info", path])
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr == "\(path): error: not a GGUF file: expected magic 'GGUF' (47 47 55 46), found 47 47 4D 4C (at byte 0)\n")
}

@Test func modelTokenizePrintsIdsAndPieces() throws {
    let result = try BatonProcess.run(["model", "tokenize", ModelFixtures.path("tokenizer_vocabs/gpt2.gguf"), "Hello 안녕!"])
    #expect(result.status == 0)
    #expect(result.stdout == "75\t\"H\"\n104\t\"e\"\n427\t\"llo\"\n493\t\" 안녕\"\n36\t\"!\"\ncount: 5\n")
}

@Test func modelTokenizeJSONWithSpecialTokensAndBOS() throws {
    let path = ModelFixtures.path("tokenizer_vocabs/gpt2.gguf")
    let special = try BatonProcess.run(["model", "tokenize", path, "<|im_start|>hi", "--json", "--special", "--bos"])
    #expect(special.status == 0)
    #expect(special.stdout == "{\"count\":4,\"ids\":[0,1,107,108],\"pieces\":[\"<|endoftext|>\",\"<|im_start|>\",\"h\",\"i\"]}\n")
    let plain = try BatonProcess.run(["model", "tokenize", path, "<|im_start|>", "--json"])
    #expect(!plain.stdout.contains("\"ids\":[1]"))
}

@Test func modelTokenizeShowsByteTokensOfASplitSyllable() throws {
    let result = try BatonProcess.run(["model", "tokenize", ModelFixtures.path("tokenizer_vocabs/gpt2.gguf"), "뷁"])
    #expect(result.status == 0)
    #expect(result.stdout == "238\t\"<0xEB>\"\n186\t\"<0xB7>\"\n132\t\"<0x81>\"\ncount: 3\n")
}

@Test func modelTokenizeUsageAndFileErrors() throws {
    let usage = try BatonProcess.run(["model", "tokenize", "only-a-path"])
    #expect(usage.status == 64)
    #expect(usage.stderr == "error: expected PATH and TEXT\nUSAGE: baton model tokenize PATH TEXT [--json] [--special] [--bos]\n")
    let path = ModelFixtures.path("malformed/valid.gguf")
    let noTokenizer = try BatonProcess.run(["model", "tokenize", path, "hi"])
    #expect(noTokenizer.status == 1)
    #expect(noTokenizer.stderr == "\(path): error: the model has no tokenizer (tokenizer.ggml.model is missing)\n")
}

@Test func modelTokenizeWarnsAboutTheDefaultPreTokenizer() throws {
    let path = ModelFixtures.path("tokenizer_vocabs/default.gguf")
    let result = try BatonProcess.run(["model", "tokenize", path, "ok"])
    #expect(result.status == 0)
    #expect(result.stderr == "warning: \(path): missing pre-tokenizer type (tokenizer.ggml.pre); using 'default'\n")
}

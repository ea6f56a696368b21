import Foundation
import Testing
import TestSupport
@testable import Runtime

/// llama.cpp's own test vocabularies (GPT-2, Llama 3, Qwen2, Llama SPM, Phi-3, StarCoder, ...,
/// in `vendor/llama.cpp/models` of the llama-cpp-python sdist) are too big to commit;
/// Scripts/setup-test-tools.sh extracts them into `~/.baton/llama-vocabs` (`BATON_LLAMA_VOCABS`
/// overrides) and each is checked against the hashes of llama.cpp's ids,
/// pieces and end-of-generation set in Fixtures/tokenizer_llama_vocabs.json.
enum LlamaVocabFixtures {
    struct Entry: Sendable {
        var idsFNV: String
        var tokens: Int
        var piecesFNV: [String]
        var endOfGeneration: [Int]
    }

    static let entries: [String: Entry] = {
        let url = TokenizerFixtures.directory.appendingPathComponent("tokenizer_llama_vocabs.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else { return [:] }
        var result: [String: Entry] = [:]
        for (name, e) in object {
            result[name] = Entry(idsFNV: e["ids_fnv"] as? String ?? "", tokens: e["tokens"] as? Int ?? -1,
                                 piecesFNV: e["pieces_fnv"] as? [String] ?? [], endOfGeneration: e["end_of_generation"] as? [Int] ?? [])
        }
        return result
    }()

    /// FNV-1a 64 over every id of every string as u32 little-endian, each string's count first.
    static func idsFNV(_ all: [[Int]]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for ids in all {
            for value in [ids.count] + ids {
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { for b in $0 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 } }
            }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

@Test(.requiresLlamaVocabs, arguments: ["gpt-2", "llama-bpe", "qwen2", "refact", "starcoder", "command-r", "mpt", "llama-spm", "phi-3"])
func llamaCppTestVocabularyMatches(name: String) throws {
    let path = try #require(ReferenceModels.llamaVocabs) + "/ggml-vocab-\(name).gguf"
    let entry = try #require(LlamaVocabFixtures.entries[name])
    let tokenizer = try Tokenizer(file: try GGUFFile(path: path))
    let ids = TokenizerFixtures.strings.map { tokenizer.encode($0) }
    #expect(ids.reduce(0) { $0 + $1.count } == entry.tokens)
    #expect(LlamaVocabFixtures.idsFNV(ids) == entry.idsFNV, "\(name): ids differ from llama.cpp's")
    #expect([TokenizerFixtures.piecesFNV(tokenizer, special: true), TokenizerFixtures.piecesFNV(tokenizer, special: false)] == entry.piecesFNV)
    #expect(tokenizer.endOfGeneration.sorted() == entry.endOfGeneration)
    #expect(tokenizer.warnings.isEmpty)
}

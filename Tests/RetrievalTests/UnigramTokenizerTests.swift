import Foundation
import Testing
@testable import Retrieval
import Runtime

/// The SentencePiece Unigram tokenizer (XLM-RoBERTa's `tokenizer.json` layout) against HF
/// `tokenizers`, on a model trained by the `sentencepiece` package on the Korean/English corpus
/// (`make_unigram_tokenizer.py`): nmt_nfkc's precompiled charsmap, the `Replace(" {2,}")`
/// normalizer, Metaspace and Unigram's Viterbi must all agree for the ids to.
@Suite("Unigram tokenizer")
struct UnigramTokenizerTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/unigram")

    static func tokenizer() throws -> UnigramTokenizer {
        let path = directory.appendingPathComponent("tokenizer.json")
        return try UnigramTokenizer(tokenizerJSON: try Data(contentsOf: path), source: path.path)
    }

    /// The strings of `expected.json` with HF tokenizers' ids and llama.cpp's.
    struct Expected: Decodable { var strings: [String]; var ids: [[Int]]; var llama_ids: [[Int]] }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: try Data(contentsOf: directory.appendingPathComponent("expected.json")))
    }

    /// How many strings `tokenizer` encodes differently from `reference` (named in each issue
    /// recorded, with both sides as pieces).
    static func mismatches(_ tokenizer: UnigramTokenizer, _ strings: [String], _ expectedIDs: [[Int]], reference: String) -> Int {
        var mismatches = 0
        for (text, ids) in zip(strings, expectedIDs) {
            let ours = tokenizer.encode(text)
            if ours != ids {
                mismatches += 1
                Issue.record("\(text.debugDescription): \(ours.map { tokenizer.pieces[$0] }) vs \(reference) \(ids.map { tokenizer.pieces[$0] })")
            }
        }
        return mismatches
    }

    @Test("ids equal HF tokenizers' on corpus lines, Korean, jamo, full-width, emoji, code and whitespace")
    func idsEqualHFTokenizers() throws {
        let expected = try Self.expected()
        let mismatches = Self.mismatches(try Self.tokenizer(), expected.strings, expected.ids, reference: "HF")
        #expect(expected.strings.count > 150 && mismatches == 0)
    }

    @Test("from GGUF (`t5` tokenizer) ids equal llama.cpp's, whose whitespace rules differ from HF's")
    func ggufIdsEqualLlamaCpp() throws {
        let expected = try Self.expected()
        let tokenizer = try UnigramTokenizer(gguf: try GGUFFile(path: Self.directory.appendingPathComponent("t5-vocab.gguf").path))
        let mismatches = Self.mismatches(tokenizer, expected.strings, expected.llama_ids, reference: "llama.cpp")
        // The two references really differ (runs of spaces, a lone space), so both rule sets are exercised.
        #expect(zip(expected.ids, expected.llama_ids).filter { $0 != $1 }.count > 5)
        #expect(mismatches == 0)
    }

    @Test("the charsmap applies NFKC-like mappings (full-width, circled digits, ligatures)")
    func charsmap() throws {
        let tokenizer = try Self.tokenizer()
        #expect(tokenizer.normalize("ＡＢＣ①ﬁ") == "ABC1fi")
        #expect(tokenizer.normalize("한  빛") == "한 빛")
    }

    @Test("files it cannot read are refused naming the file and the key", arguments: [
        (#"{"model": {"type": "BPE"}}"#, "t.json: error: model.type is BPE, expected Unigram"),
        (#"{"model": {"type": "Unigram", "vocab": [["a", -1]], "unk_id": 3}}"#, "t.json: error: model.unk_id is missing or out of range"),
        (#"{"model": {"type": "Unigram", "vocab": [["<unk>", 0]], "unk_id": 0}, "normalizer": {"type": "Precompiled", "precompiled_charsmap": "AQAAAA=="}}"#,
         "t.json: error: precompiled_charsmap announces a 1-byte trie but holds 0 bytes"),
        (#"{"model": {"type": "Unigram", "vocab": [["<unk>", 0]], "unk_id": 0}, "normalizer": {"type": "NFD"}}"#,
         "t.json: error: normalizer.type NFD is not supported (Sequence, Precompiled, Replace)"),
    ])
    func refused(json: String, message: String) {
        #expect(throws: RetrievalError(message)) { try UnigramTokenizer(tokenizerJSON: Data(json.utf8), source: "t.json") }
    }
}

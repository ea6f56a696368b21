import Foundation
import Testing
import TestSupport
@testable import Retrieval

/// Token ids against HF `tokenizers` (fixture from Fixtures/generate_wordpiece.py, 300+ strings).
@Suite struct WordPieceTokenizerTests {
    struct Case: Decodable { var text: String; var ids: [Int32]; var max_length: Int? }
    struct Fixture: Decodable { var cases: [Case] }

    static func fixture() throws -> Fixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/wordpiece_ids", withExtension: "json"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    @Test(.requiresMiniLM) func idsEqualHuggingFaceTokenizers() throws {
        let model = try #require(ReferenceModels.miniLM)
        let tokenizer = try WordPieceTokenizer(contentsOf: model + "/tokenizer.json")
        let fixture = try Self.fixture()
        #expect(fixture.cases.count >= 300)
        var mismatches = 0
        for testCase in fixture.cases {
            let encoding = tokenizer.encode(testCase.text, maxLength: testCase.max_length)
            if encoding.ids != testCase.ids {
                mismatches += 1
                Issue.record("\(testCase.text.debugDescription): got \(encoding.ids), expected \(testCase.ids)")
            }
            #expect(encoding.truncated == (testCase.max_length != nil))
        }
        #expect(mismatches == 0)
    }

    @Test func basicTokenizerSplitsLikeBERT() {
        let basic = BertBasicTokenizer()
        let words = basic.words("Héllo,  WORLD! 漢字\u{0}\u{200D}").map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) }
        #expect(words == ["hello", ",", "world", "!", "漢", "字"])
    }

    @Test func rejectsNonWordPieceTokenizers() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-\(UUID().uuidString).json").path
        try Data(#"{"model": {"type": "BPE", "vocab": {}}}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RetrievalError("\(path): error: tokenizer model is 'BPE', expected WordPiece")) {
            try WordPieceTokenizer(contentsOf: path)
        }
    }
}

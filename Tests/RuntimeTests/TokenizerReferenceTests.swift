import Foundation
import Testing
import TestSupport
@testable import Runtime

/// llama.cpp's token ids for the strings in Fixtures/tokenizer_strings.json, written by
/// Fixtures/make_tokenizer_fixtures.py, and the vocabularies they were made with.
enum TokenizerFixtures {
    static var directory: URL { MalformedFixtures.directory.deletingLastPathComponent() }

    static let strings: [String] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("tokenizer_strings.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return list
    }()

    /// The expected ids, by vocabulary name, and the special-token cases.
    struct Expected: Sendable {
        var count = 0
        var ids: [String: [[Int]]] = [:]
        var special: [String: (strings: [String], ids: [[Int]])] = [:]
        /// FNV-1a 64 of every piece (special shown, hidden) per vocabulary, from llama.cpp.
        var piecesFNV: [String: [String]] = [:]
        /// llama.cpp's end-of-generation ids per vocabulary.
        var endOfGeneration: [String: [Int]] = [:]
    }

    static let expected: Expected = {
        var result = Expected()
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("tokenizer_expected.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return result }
        for (key, value) in object {
            if let count = value as? Int { result.count = count }
            if let ids = value as? [[Int]] { result.ids[key] = ids }
            if key == "pieces_fnv", let dict = value as? [String: [String]] {
                result.piecesFNV = dict
            } else if key == "end_of_generation", let dict = value as? [String: [Int]] {
                result.endOfGeneration = dict
            } else if let dict = value as? [String: Any] {
                result.special[key] = (dict["strings"] as? [String] ?? [], dict["ids"] as? [[Int]] ?? [])
            }
        }
        return result
    }()

    static func ids(_ key: String) -> [[Int]] { expected.ids[key] ?? [] }

    static func special(_ key: String) -> (strings: [String], ids: [[Int]]) { expected.special[key] ?? ([], []) }

    static func vocabulary(_ name: String) throws -> Tokenizer {
        let path = directory.appendingPathComponent("tokenizer_vocabs/\(name).gguf").path
        return try Tokenizer(file: try GGUFFile(path: path))
    }

    /// FNV-1a 64 (hex) over every token's piece as u32 length + bytes, as the generator hashes
    /// llama.cpp's `detokenize([id])`.
    static func piecesFNV(_ tokenizer: Tokenizer, special: Bool) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for id in 0..<tokenizer.vocabularySize {
            let piece = tokenizer.piece(id, special: special)
            withUnsafeBytes(of: UInt32(piece.count).littleEndian) { for b in $0 { add(b) } }
            for b in piece { add(b) }
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func comparePieces(_ tokenizer: Tokenizer, _ name: String) {
        let want = expected.piecesFNV[name] ?? []
        #expect(want.count == 2)
        #expect([piecesFNV(tokenizer, special: true), piecesFNV(tokenizer, special: false)] == want,
                "\(name): token pieces differ from llama.cpp's token_to_piece")
        #expect(tokenizer.endOfGeneration.sorted() == expected.endOfGeneration[name], "\(name): end-of-generation ids")
    }

    /// Compares every string; records the first mismatches with their text.
    static func compare(_ tokenizer: Tokenizer, strings: [String], expected: [[Int]], parseSpecial: Bool = false,
                        roundTrip: Bool = true) {
        #expect(strings.count == expected.count)
        var failures = 0
        for (text, want) in zip(strings, expected) {
            let got = tokenizer.encode(text, parseSpecial: parseSpecial)
            if got != want {
                failures += 1
                if failures <= 8 { Issue.record("\(text.debugDescription): got \(got), llama.cpp \(want)") }
            }
            if roundTrip {
                let back = tokenizer.decode(got, special: parseSpecial)
                if back != text {
                    failures += 1
                    if failures <= 8 { Issue.record("\(text.debugDescription) decodes to \(back.debugDescription)") }
                }
            }
        }
        #expect(failures == 0, "\(failures) of \(strings.count) strings differ from llama.cpp")
    }
}

@Test func fixtureHasAtLeast300Strings() {
    #expect(TokenizerFixtures.strings.count >= 300)
    #expect(TokenizerFixtures.expected.count == TokenizerFixtures.strings.count)
}

@Test(arguments: ["gpt2", "llama3", "qwen2", "smollm", "exaone", "default"])
func syntheticBPEVocabularyMatchesLlamaCpp(name: String) throws {
    let tokenizer = try TokenizerFixtures.vocabulary(name)
    TokenizerFixtures.compare(tokenizer, strings: TokenizerFixtures.strings, expected: TokenizerFixtures.ids(name))
    TokenizerFixtures.comparePieces(tokenizer, name)
}

@Test func syntheticSentencePieceVocabularyMatchesLlamaCpp() throws {
    let tokenizer = try TokenizerFixtures.vocabulary("spm")
    #expect(tokenizer.kind == .sentencePiece)
    TokenizerFixtures.comparePieces(tokenizer, "spm")
    // SentencePiece adds a leading space, so decoding gives " " + text; compare ids only here.
    TokenizerFixtures.compare(tokenizer, strings: TokenizerFixtures.strings, expected: TokenizerFixtures.ids("spm"), roundTrip: false)
    let special = TokenizerFixtures.special("spm_special")
    TokenizerFixtures.compare(tokenizer, strings: special.strings, expected: special.ids, parseSpecial: true, roundTrip: false)
}

@Test(.requiresSmolLM2) func smolLM2MatchesLlamaCppOnEveryString() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let tokenizer = try Tokenizer(file: try GGUFFile(path: path))
    #expect(tokenizer.preTokenizer == .smollm)
    TokenizerFixtures.comparePieces(tokenizer, "smollm2")
    TokenizerFixtures.compare(tokenizer, strings: TokenizerFixtures.strings, expected: TokenizerFixtures.ids("smollm2"))
    let special = TokenizerFixtures.special("smollm2_special")
    TokenizerFixtures.compare(tokenizer, strings: special.strings, expected: special.ids, parseSpecial: true)

    // Streaming each string token by token gives it back without a cut character.
    for text in TokenizerFixtures.strings {
        var streamer = StreamingDetokenizer(tokenizer: tokenizer)
        var chunks = tokenizer.encode(text).map { streamer.append($0) }
        chunks.append(streamer.finish())
        if chunks.joined() != text || chunks.contains(where: { $0.contains("\u{FFFD}") }) {
            Issue.record("streaming \(text.debugDescription) gave \(chunks)")
        }
    }
}

@Test(.requiresSmolLM2) func smolLM2SpecialTokenIds() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let tokenizer = try Tokenizer(file: try GGUFFile(path: path))
    #expect(tokenizer.vocabularySize == 49152)
    #expect([tokenizer.bos, tokenizer.eos, tokenizer.unknown, tokenizer.padding] == [1, 2, 0, 2])
    #expect(tokenizer.addBOS == false)
    #expect(tokenizer.endOfGeneration == [0, 2, 4])  // <|endoftext|>, <|im_end|>, <reponame> (FIM repo)
    #expect(tokenizer.warnings.isEmpty)
    #expect(tokenizer.encode("<|im_start|>", parseSpecial: true) == [1])
}

/// 1,000 strings of code points from all of planes 0-3 (Fixtures/tokenizer_unicode.json): the
/// letter/number/punctuation/space classes Baton takes from Swift agree with llama.cpp's tables.
@Test(arguments: ["llama3", "default"])
func unicodeClassesAgreeWithLlamaCpp(name: String) throws {
    let url = TokenizerFixtures.directory.appendingPathComponent("tokenizer_unicode.json")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let strings = try #require(object["strings"] as? [String])
    let expected = try #require(object[name] as? [[Int]])
    #expect(strings.count == 1000)
    TokenizerFixtures.compare(try TokenizerFixtures.vocabulary(name), strings: strings, expected: expected)
}

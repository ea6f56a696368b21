import Foundation
import Testing
@testable import Runtime

/// A tiny byte-level vocabulary in memory: the 256 byte characters, a few merges, a control and a
/// user-defined token.
func tinyBPEMetadata(pre: String? = "gpt-2", extra: [String: GGUFValue] = [:]) -> [String: GGUFValue] {
    var tokens = ["<|endoftext|>", "<tool>"]
    tokens += (0..<256).map { String(Character(Unicode.Scalar(ByteLevel.characterOfByte[$0])!)) }
    tokens += ["Ġh", "Ġhe", "ll", "Ġhell", "Ġhello"]
    var metadata: [String: GGUFValue] = [
        "tokenizer.ggml.model": .string("gpt2"),
        "tokenizer.ggml.tokens": .array(tokens.map { .string($0) }),
        "tokenizer.ggml.token_type": .array([.int32(3), .int32(4)] + Array(repeating: .int32(1), count: tokens.count - 2)),
        "tokenizer.ggml.merges": .array(["Ġ h", "Ġh e", "l l", "Ġhe ll", "Ġhell o"].map { .string($0) }),
        "tokenizer.ggml.bos_token_id": .uint32(0),
    ]
    if let pre { metadata["tokenizer.ggml.pre"] = .string(pre) }
    for (k, v) in extra { metadata[k] = v }
    return metadata
}

/// The tiny vocabulary with `token` as its last entry and no token types (every token normal),
/// for token texts that need a place of their own.
func tinyBPETokenizer(appending token: String) throws -> Tokenizer {
    var metadata = tinyBPEMetadata()
    if case .array(let tokens) = metadata["tokenizer.ggml.tokens"] {
        metadata["tokenizer.ggml.tokens"] = .array(tokens + [.string(token)])
    }
    metadata["tokenizer.ggml.token_type"] = nil
    return try Tokenizer(metadata: metadata, file: "tiny.gguf")
}

@Test func mergesFollowRanksAndFallBackToBytes() throws {
    let tokenizer = try Tokenizer(metadata: tinyBPEMetadata(), file: "tiny.gguf")
    let hello = try #require(tokenizer.id(of: "Ġhello"))
    #expect(tokenizer.encode(" hello") == [hello])
    let x = 2 + Int(UInt8(ascii: "x"))
    #expect(tokenizer.encode(" hellx") == [try #require(tokenizer.id(of: "Ġhell")), x])
    #expect(tokenizer.decode(tokenizer.encode("안녕 hello!")) == "안녕 hello!")
}

@Test func controlTokensAreParsedOnlyWhenAskedButUserDefinedAlways() throws {
    let tokenizer = try Tokenizer(metadata: tinyBPEMetadata(), file: "tiny.gguf")
    let plain = tokenizer.encode("<|endoftext|>")
    #expect(plain.count > 1 && !plain.contains(0))
    #expect(tokenizer.encode("<|endoftext|>", parseSpecial: true) == [0])
    #expect(tokenizer.encode("a<tool>b") == [2 + 97, 1, 2 + 98])
    #expect(tokenizer.encode("x", addSpecial: true) == [2 + 120])  // gpt-2 style: no BOS unless add_bos_token
    let withBOS = try Tokenizer(metadata: tinyBPEMetadata(extra: ["tokenizer.ggml.add_bos_token": .bool(true)]), file: "tiny.gguf")
    #expect(withBOS.encode("x", addSpecial: true) == [0, 2 + 120])
    #expect(tokenizer.decode([0, 2 + 104]) == "h")
    #expect(tokenizer.decode([0, 2 + 104], special: true) == "<|endoftext|>h")
}

@Test func missingOrUnknownPreTokenizerFallsBackToDefaultWithAWarning() throws {
    let missing = try Tokenizer(metadata: tinyBPEMetadata(pre: nil), file: "tiny.gguf")
    #expect(missing.preTokenizer == .default)
    #expect(missing.warnings == ["missing pre-tokenizer type (tokenizer.ggml.pre); using 'default'"])
    let unknown = try Tokenizer(metadata: tinyBPEMetadata(pre: "martian"), file: "tiny.gguf")
    #expect(unknown.preTokenizer == .default)
    #expect(unknown.warnings == ["unknown pre-tokenizer type 'martian'; using 'default'"])
}

@Test(arguments: [
    ([String: GGUFValue](), "tiny.gguf: error: the model has no tokenizer (tokenizer.ggml.model is missing)"),
    (["tokenizer.ggml.model": .string("wordpiece")], "tiny.gguf: error: the model has no tokenizer vocabulary (tokenizer.ggml.tokens is missing)"),
    (["tokenizer.ggml.model": .string("bert"), "tokenizer.ggml.tokens": .array([.string("a")])],
     "tiny.gguf: error: unsupported tokenizer 'bert' (tokenizer.ggml.model), expected gpt2 or llama"),
    (["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": .array([.string("a")])],
     "tiny.gguf: error: BPE tokenizer has no merges (tokenizer.ggml.merges is missing)"),
    (["tokenizer.ggml.model": .uint8(1)], "tiny.gguf: error: tokenizer.ggml.model must be a string, found u8"),
    (["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": .array([.uint8(1)])],
     "tiny.gguf: error: tokenizer.ggml.tokens must be an array of strings, found array[u8]"),
])
func badTokenizerMetadataIsAClearError(metadata: [String: GGUFValue], message: String) {
    #expect(throws: Error.self) { try Tokenizer(metadata: metadata, file: "tiny.gguf") }
    do {
        _ = try Tokenizer(metadata: metadata, file: "tiny.gguf")
    } catch {
        #expect(error.description == message)
    }
}

@Test func modelWithoutTokenizerNamesTheFile() throws {
    let path = MalformedFixtures.path("valid")
    let file = try GGUFFile(path: path)
    do {
        _ = try Tokenizer(file: file)
        Issue.record("expected an error")
    } catch {
        #expect(error.description == "\(path): error: the model has no tokenizer (tokenizer.ggml.model is missing)")
    }
}

@Test(arguments: [
    (PreTokenizer.gpt2, "Hello world's 12345  x\n\ny", ["Hello", " world", "'s", " 12345", " ", " x", "\n", "\n", "y"]),
    (PreTokenizer.llama3, "Hello WORLD'S 12345  x\n\ny", ["Hello", " WORLD", "'S", " ", "123", "45", " ", " x", "\n\n", "y"]),
    (PreTokenizer.qwen2, "abc 123!?\n", ["abc", " ", "1", "2", "3", "!?\n"]),
    (PreTokenizer.smollm, "abc 123 안녕", ["abc", " ", "1", "2", "3", " 안녕"]),
    (PreTokenizer.default, "a...b 1234567", ["a", "...", "b", " ", "123", "456", "7"]),
])
func preTokenizersSplitLikeTheirRegexes(pre: PreTokenizer, text: String, words: [String]) {
    let scalars = text.unicodeScalars.map(\.value)
    let ends = scalars.withUnsafeBufferPointer { pre.split($0, flags: CodepointFlags()) }
    var start = 0
    var got: [String] = []
    for end in ends {
        got.append(String(String.UnicodeScalarView(scalars[start..<end].compactMap(Unicode.Scalar.init))))
        start = end
    }
    #expect(got == words)
}

@Test func streamingNeverCutsAKoreanSyllable() throws {
    let tokenizer = try Tokenizer(metadata: tinyBPEMetadata(), file: "tiny.gguf")
    let text = "한국어 스트리밍 👨‍👩‍👧 ok"
    let ids = tokenizer.encode(text)
    #expect(ids.count == text.utf8.count)  // no merge applies: one byte token each
    var streamer = StreamingDetokenizer(tokenizer: tokenizer)
    var chunks: [String] = []
    for id in ids { chunks.append(streamer.append(id)) }
    chunks.append(streamer.finish())
    #expect(chunks.joined() == text)
    #expect(!chunks.joined().contains("\u{FFFD}"))
    #expect(chunks.filter { !$0.isEmpty }.allSatisfy { chunk in chunk.unicodeScalars.allSatisfy { $0 != "\u{FFFD}" } })
    #expect(chunks[0] == "" && chunks[1] == "" && chunks[2] == "한")
}

@Test func streamingFinishShowsAnIncompleteCharacterAsReplacement() throws {
    let tokenizer = try Tokenizer(metadata: tinyBPEMetadata(), file: "tiny.gguf")
    var streamer = StreamingDetokenizer(tokenizer: tokenizer)
    #expect(streamer.append(2 + 0xED) == "")
    #expect(streamer.append(2 + 0x95) == "")
    #expect(streamer.finish() == "\u{FFFD}")
    #expect(streamer.append(2 + 0x80) == "\u{FFFD}")  // a stray continuation byte is not held
}

@Test func outputCutOffInsideASyllableDropsTheHalfCharacter() throws {
    let tokenizer = try Tokenizer(metadata: tinyBPEMetadata(), file: "tiny.gguf")
    var streamer = StreamingDetokenizer(tokenizer: tokenizer)
    #expect(streamer.append(2 + 0xED) == "")  // the first two bytes of '한' (ED 95 9C)
    #expect(streamer.append(2 + 0x95) == "")
    streamer.discardIncomplete()
    #expect(streamer.finish() == "")
}

@Test func wholeLetterPagesAgreeWithUnicodeProperties() {
    let flags = CodepointFlags()
    let ranges = [UInt32(0x4E00)...UInt32(0x9FFF), UInt32(0xAC00)...UInt32(0xD6FF)]
    let mismatches = ranges.flatMap { $0.filter { flags($0) != CodepointFlags.compute($0) } }
    #expect(mismatches.isEmpty)
}

@Test func tokenLookupByTextIsByteExact() throws {
    let tokenizer = try tinyBPETokenizer(appending: "e\u{304}\u{301}")
    #expect(tokenizer.id(of: "\u{1E17}") == nil)  // ḗ, canonically equivalent
    #expect(tokenizer.id(of: "e\u{304}\u{301}") == tokenizer.vocabularySize - 1)
}

/// One tokenizer shared by concurrent steps gives each the same ids as a lone caller.
@Test func concurrentEncodingMatchesSequential() throws {
    let tokenizer = try TokenizerFixtures.vocabulary("smollm")
    let strings = TokenizerFixtures.strings
    let expected = strings.map { tokenizer.encode($0) }
    let slots = UnsafeMutableBufferPointer<[Int]>.allocate(capacity: strings.count)
    slots.initialize(repeating: [])
    defer { slots.deallocate() }
    nonisolated(unsafe) let results = slots  // each index is written by one iteration only
    let fresh = try TokenizerFixtures.vocabulary("smollm")
    DispatchQueue.concurrentPerform(iterations: strings.count) { i in
        results[i] = fresh.encode(strings[i])
    }
    #expect(Array(results) == expected)
}

@Test func emptyTokenTextsAreRenamedAsLlamaCppDoes() throws {
    let tokenizer = try tinyBPETokenizer(appending: "")
    let last = tokenizer.vocabularySize - 1
    #expect(tokenizer.tokens[last] == "[EMPTY_\(last)]")
    #expect(tokenizer.warnings == ["empty token at index \(last)"])
}

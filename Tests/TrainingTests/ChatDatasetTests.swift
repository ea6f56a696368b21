import Foundation
import Testing
import Runtime
import TestSupport
@testable import Training

/// SmolLM2's tokenizer and chat template, and a data file written from `lines`.
private func dataset(_ lines: [String], sequenceLength: Int = 512) throws -> ChatDataset {
    let file = try GGUFFile(path: try #require(ReferenceModels.smolLM2))
    let tokenizer = try Tokenizer(file: file)
    let template = try ChatTemplate(file: file, tokenizer: tokenizer)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-data-\(UUID().uuidString).jsonl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return try ChatDataset(path: path, template: template, tokenizer: tokenizer, sequenceLength: sequenceLength)
}

@Test(.requiresSmolLM2)
func onlyTheAssistantTurnIsATarget() throws {
    let data = try dataset([#"{"messages": [{"role": "user", "content": "안녕하세요"}, {"role": "assistant", "content": "반갑습니다. — 바톤 팀"}]}"#])
    let example = try #require(data.examples.first)
    let file = try GGUFFile(path: try #require(ReferenceModels.smolLM2))
    let tokenizer = try Tokenizer(file: file)
    let targets = zip(example.tokens, example.mask).filter(\.1).map(\.0)
    // The answer and the template's end-of-turn after it; never the user's words.
    #expect(tokenizer.decode(targets, special: true).hasPrefix("반갑습니다. — 바톤 팀"))
    #expect(!tokenizer.decode(targets, special: true).contains("안녕하세요"))
    #expect(example.mask.first == false)
}

@Test(.requiresSmolLM2, arguments: [
    ("not json", "line 2: not valid JSON"),
    (#"{"messages": []}"#, #"line 2: expected an object with a non-empty "messages" array"#),
    (#"{"messages": [{"role": "user", "content": "hi"}]}"#, "line 2: the conversation has no assistant message to learn from"),
    (#"{"messages": [{"role": "user"}]}"#, #"line 2: message 1 needs string "role" and "content""#),
])
func malformedLinesAreReportedWithTheirLine(_ line: String, _ expected: String) throws {
    let good = #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}"#
    do {
        _ = try dataset([good, line])
        Issue.record("expected an error")
    } catch let error as TrainingError {
        #expect("line \(error.line ?? 0): \(error.message)" == expected)
    }
}

@Test(.requiresSmolLM2)
func examplesLongerThanTheSequenceLengthAreSkippedAndCounted() throws {
    let short = #"{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}"#
    let long = #"{"messages": [{"role": "user", "content": "\#(String(repeating: "word ", count: 200))"}, {"role": "assistant", "content": "ok"}]}"#
    let data = try dataset([short, long, short], sequenceLength: 64)
    #expect(data.examples.count == 2)
    #expect(data.skippedTooLong == [2])
}

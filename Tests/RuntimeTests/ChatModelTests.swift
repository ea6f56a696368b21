import Base
import Foundation
import Testing
import TestSupport
@testable import Runtime

/// The local chat pipeline on SmolLM2 (skipped without it): template → tokens → generation.
enum ChatModelFixture {
    static let model: ChatModel? = ReferenceModels.smolLM2.flatMap { try? ModelCache.shared.model(path: $0, contextLength: 1024, threads: 2) }
}

@Test(.requiresSmolLM2) func cacheLoadsEachModelOnce() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let a = try ModelCache.shared.model(path: path, contextLength: 1024, threads: 2)
    let b = try ModelCache.shared.model(path: path, contextLength: 1024, threads: 2)
    #expect(a === b)
}

@Test(.requiresSmolLM2) func greedyChatIsReproducibleAndStopsAtStopStrings() throws {
    let model = try #require(ChatModelFixture.model)
    let messages = [ChatMessage(role: .user, content: "List three colors, one per line.")]
    let request = ChatRequest(messages: messages, sampling: .greedy, maxTokens: 24)
    var streamed = ""
    let first = try model.complete(request, onText: { streamed += $0 })
    let second = try model.complete(request)
    #expect(first.text == second.text)
    #expect(streamed == first.text)
    #expect(first.promptTokens == model.promptTokens(first.prompt).count)
    #expect(first.prompt.hasSuffix("<|im_start|>user\nList three colors, one per line.<|im_end|>\n<|im_start|>assistant\n"))
    // Stop at the first newline: the text is the first line, without the newline.
    let firstLine = String(first.text.prefix { $0 != "\n" })
    var stopped = ""
    let cut = try model.complete(ChatRequest(messages: messages, sampling: .greedy, maxTokens: 24, stop: ["\n"]), onText: { stopped += $0 })
    #expect(cut.text == firstLine)
    #expect(stopped == firstLine)
    #expect(cut.finishReason == "stop")
}

@Test(.requiresSmolLM2) func promptLongerThanTheContextIsRefused() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let small = try ModelCache.shared.model(path: path, contextLength: 32, threads: 1)
    let request = ChatRequest(messages: [ChatMessage(role: .user, content: String(repeating: "word ", count: 40))])
    #expect(throws: RuntimeError(file: path, message: "the prompt is 71 tokens, the context holds 32; shorten the input or raise 'context:'")) {
        _ = try small.complete(request)
    }
}

@Test func missingOrBrokenModelFilesAreNamed() throws {
    #expect(throws: RuntimeError(file: "/nonexistent/model.gguf", message: "no such model file")) {
        _ = try ChatModel(path: "/nonexistent/model.gguf")
    }
    let junk = FileManager.default.temporaryDirectory.appendingPathComponent("baton-junk-\(getpid()).gguf").path
    try Data("not a gguf file at all".utf8).write(to: URL(fileURLWithPath: junk))
    defer { try? FileManager.default.removeItem(atPath: junk) }
    do {
        _ = try ChatModel(path: junk)
        Issue.record("a junk file loaded")
    } catch {
        #expect(error.file == junk)
        #expect(error.message.hasPrefix("not a readable GGUF model: "))
    }
}

/// `extract` prompts: the constrained model must answer parseable JSON objects, 20 of 20.
let extractionPrompts = [
    "Kim Minsu, 34, lives in Seoul.", "The Blue Cup costs $12 and comes in red.", "Meeting on Friday at 3pm in room 4.",
    "삼성전자는 2024년 매출 300조 원을 기록했다.", "Order #5521: two lamps, shipped to Busan.", "Anna (anna@example.com) is the PR lead.",
    "The campaign runs from May 1 to May 31.", "Product: Fold Cup. Price: 9900 won. Stock: 120.", "서울 강남구 테헤란로 1, 우편번호 06234",
    "Temperature 21.5 C, humidity 40%.", "Tom and Jerry joined the team in 2021.", "The launch event had 350 guests.",
    "Brand voice: warm, short, playful.", "Client: Hanbit Foods; budget: 50 million won.", "Deadline moved to 2025-03-14.",
    "이 제품은 무게 200g, 색상은 검정과 흰색입니다.", "Rated 4.5 stars by 1200 reviewers.", "Flight KE123 departs Incheon at 09:40.",
    "The slogan is 'Coffee that folds'.", "Three interns, two designers, one writer.",
]

@Test(.requiresSmolLM2) func constrainedExtractionAlwaysParses() throws {
    let model = try #require(ChatModelFixture.model)
    var valid = 0
    for text in extractionPrompts {
        let messages = [ChatMessage(role: .system, content: "Extract the facts as a JSON object."), ChatMessage(role: .user, content: text)]
        let result = try model.complete(ChatRequest(messages: messages, sampling: .greedy, maxTokens: 40, jsonOnly: true))
        if (try? JSONSerialization.jsonObject(with: Data(result.text.utf8))) is [String: Any] { valid += 1 } else { Issue.record("not JSON: \(result.text)") }
    }
    #expect(valid == 20)
}

import Foundation
import Testing
@testable import Providers

/// Issue 19 item 7: usage figures that are not counts are not stored as fact; `content: null` is
/// an invalid answer, not an empty success. (Item 6, the timeout against a trickled body, is
/// timed in `ServerTimeoutCLITests`, in a process of its own: inside this busy test process an
/// awaiting task can wait for a free thread far longer than any timeout.)
@Suite struct ServerFaultTests {
    let server: FakeOpenAIServer

    init() throws {
        server = try FakeOpenAIServer()
    }

    func model(stream: Bool = false, timeout: Duration = .seconds(10)) -> OpenAICompatibleModel {
        OpenAICompatibleModel(.init(baseURL: server.baseURL, model: "fake-model", stream: stream, defaultTimeout: timeout))
    }

    @Test(arguments: [false, true])
    func usageFiguresThatAreNotCountsAreNotStored(stream: Bool) async throws {
        let response = try await model(stream: stream, timeout: .seconds(10)).complete(ModelRequest(prompt: "카피 [[bad-usage]]"), onToken: nil)
        #expect(response.text == "fine answer")
        #expect(response.tokensIn == nil)
        #expect(response.tokensOut == nil)
        #expect(response.usageNote == "the server's usage figures were not valid counts and were not stored: prompt_tokens -5, completion_tokens 9223372036854775807")
    }

    @Test func validUsageFiguresAreKept() {
        let figures = UsageFigures(["prompt_tokens": 12, "completion_tokens": 0])
        #expect(figures == UsageFigures(tokensIn: 12, tokensOut: 0, note: nil))
        let mixed = UsageFigures(["prompt_tokens": 7, "completion_tokens": 1.5])
        #expect(mixed == UsageFigures(tokensIn: 7, tokensOut: nil, note: "the server's usage figures were not valid counts and were not stored: completion_tokens 1.5"))
    }

    @Test func nullContentIsAnInvalidResponseAndRetryable() async throws {
        let error = await #expect(throws: ModelError.self) {
            _ = try await model(timeout: .seconds(10)).complete(ModelRequest(prompt: "카피 [[null-content]]"), onToken: nil)
        }
        #expect(error?.kindName == "invalid_response")
        #expect(error?.isRetryable == true)
        #expect(error?.message.contains("the answer has no content (content: null and no tool call)") == true)
    }
}

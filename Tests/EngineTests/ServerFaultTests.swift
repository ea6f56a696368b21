import Foundation
import Testing
@testable import Providers

/// Issue 19 items 6 and 7: what a misbehaving server cannot do to a step. A body trickled
/// slowly cannot outlast the timeout, whatever length it announced; usage figures that are not
/// counts are not stored as fact; `content: null` is an invalid answer, not an empty success.
@Suite struct ServerFaultTests {
    let server: FakeOpenAIServer

    init() throws {
        server = try FakeOpenAIServer()
    }

    func model(stream: Bool = false, timeout: Duration) -> OpenAICompatibleModel {
        OpenAICompatibleModel(.init(baseURL: server.baseURL, model: "fake-model", stream: stream, defaultTimeout: timeout))
    }

    /// The server announces 64 MiB (over the 16 MiB limit) and then sends one byte every 0.2 s
    /// for 30 s: the exchange ends at once as too large, or at the latest at the timeout (before
    /// the fix it lasted until the server closed). The bound leaves room for a loaded machine.
    @Test(arguments: [false, true])
    func aTrickledHugeBodyEndsWithinTheTimeout(stream: Bool) async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: ModelError.self) {
            _ = try await model(stream: stream, timeout: .seconds(2)).complete(ModelRequest(prompt: "카피 [[trickle:30]]"), onToken: nil)
        }
        let elapsed = ContinuousClock.now - started
        print("trickled 64 MiB body (stream: \(stream)): \(error?.kindName ?? "?") after \(elapsed)")
        #expect(elapsed < .seconds(12))
        #expect(error?.kindName == "response_too_large" || error?.kindName == "timeout")
    }

    /// An announced length under the limit, trickled: the timeout ends it.
    @Test func aTrickledSmallBodyTimesOut() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: ModelError.self) {
            _ = try await model(timeout: .seconds(1)).complete(ModelRequest(prompt: "카피 [[drip:30]]"), onToken: nil)
        }
        let elapsed = ContinuousClock.now - started
        print("trickled 4,000-byte body: \(error?.kindName ?? "?") after \(elapsed)")
        #expect(elapsed < .seconds(12))
        #expect(error == ModelError(.timeout, "http://127.0.0.1:\(server.port)/v1/chat/completions: no complete answer within 1 s"))
        #expect(error?.isRetryable == true)
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

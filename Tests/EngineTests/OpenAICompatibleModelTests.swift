import Base
import Foundation
import Testing
@testable import Engine
@testable import Scheduler
@testable import Providers

/// The OpenAI-compatible provider against the real loopback server (`Server/fake_openai.py`).
@Suite struct OpenAICompatibleModelTests {
    let server: FakeOpenAIServer

    init() throws {
        server = try FakeOpenAIServer()
    }

    func model(stream: Bool = false, name: String = "fake-model", timeout: Duration = .seconds(10), limit: Int = 1 << 20) -> OpenAICompatibleModel {
        OpenAICompatibleModel(.init(baseURL: server.baseURL, model: name, apiKey: "sk-test-secret", stream: stream,
                                    defaultTimeout: timeout, maxResponseBytes: limit))
    }

    @Test func completesAndSendsEveryParameter() async throws {
        let request = ModelRequest(
            messages: [ChatMessage(role: .system, content: "카피라이터입니다."), ChatMessage(role: .user, content: "신제품 슬로건 세 개")],
            parameters: Sampling(temperature: 0.2, topP: 0.9, topK: 40, maxTokens: 64, seed: 7, stop: ["\n\n"]))
        let response = try await model().complete(request, onToken: nil)
        #expect(response == ModelResponse(text: "echo: 신제품 슬로건 세 개", tokensIn: 5, tokensOut: 5, finishReason: "stop", model: "fake-model"))
        let recorded = server.requests()
        #expect(recorded.count == 1)
        #expect(recorded.first?["authorization"] as? String == "Bearer sk-test-secret")
        let body = try #require(recorded.first?["body"] as? [String: Any])
        let canonical = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        #expect(String(decoding: canonical, as: UTF8.self) == #"{"max_tokens":64,"messages":[{"content":"카피라이터입니다.","role":"system"},{"content":"신제품 슬로건 세 개","role":"user"}],"model":"fake-model","seed":7,"stop":["\n\n"],"temperature":0.2,"top_k":40,"top_p":0.9}"#)
    }

    @Test func streamsTokensLiveAndRecordsUsage() async throws {
        let pieces = PieceCollector()
        let response = try await model(stream: true).complete(ModelRequest(prompt: "봄 캠페인 보도자료 제목"), onToken: { pieces.append($0) })
        #expect(pieces.all == ["echo: ", "봄 ", "캠페인 ", "보도자료 ", "제목"])
        #expect(response == ModelResponse(text: "echo: 봄 캠페인 보도자료 제목", tokensIn: 4, tokensOut: 5, finishReason: "stop", model: "fake-model"))
        let body = try #require(server.bodies().first)
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
    }

    @Test(arguments: [false, true])
    func jsonModeAsksForAJSONObject(stream: Bool) async throws {
        let response = try await model(stream: stream).complete(ModelRequest(prompt: "제품명 추출", responseFormat: .json), onToken: nil)
        #expect(response.text == #"{"echo": "제품명 추출"}"#)
        let format = try #require(server.bodies().first?["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_object")
    }

    @Test func jsonSchemaIsSentAsJSONSchemaFormat() async throws {
        let schema = #"{"type":"object","properties":{"name":{"type":"string"}}}"#
        _ = try await model().complete(ModelRequest(prompt: "x", responseFormat: .jsonSchema(name: "facts", schema: schema)), onToken: nil)
        let format = try #require(server.bodies().first?["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        let inner = try #require(format["json_schema"] as? [String: Any])
        #expect(inner["name"] as? String == "facts")
        #expect((inner["schema"] as? [String: Any])?["type"] as? String == "object")
    }

    /// Each fault the server can inject, the class it must become, and whether it is retryable.
    static let faults: [(marker: String, kind: ModelError.Kind, retryable: Bool, message: String)] = [
        ("[[429:3]]", .rateLimited(retryAfter: 3), true, "HTTP 429: rate limited"),
        ("[[500]]", .server(status: 500), true, "HTTP 500: injected 500"),
        ("[[503]]", .server(status: 503), true, "HTTP 503: injected 503"),
        ("[[400]]", .badRequest(status: 400), false, "HTTP 400: injected 400"),
        ("[[invalid-json]]", .invalidResponse, true, #"the answer is not JSON: {"choices": [{"message": "#),
    ]

    @Test(arguments: faults.indices, [false, true])
    func faultsAreClassified(index: Int, stream: Bool) async throws {
        let fault = Self.faults[index]
        let endpoint = "http://127.0.0.1:\(server.port)/v1/chat/completions"
        var expected = ModelError(fault.kind, "\(endpoint): \(fault.message)")
        if stream, fault.kind == .invalidResponse {
            // A streaming client receives the plain body of a server that ignored `stream`.
            expected = ModelError(.invalidResponse, "\(endpoint): \(fault.message)")
        }
        await #expect(throws: expected) {
            _ = try await model(stream: stream).complete(ModelRequest(prompt: "카피 \(fault.marker)"), onToken: nil)
        }
        #expect(expected.isRetryable == fault.retryable)
    }

    @Test(arguments: [false, true])
    func aResetConnectionIsARetryableConnectionError(stream: Bool) async throws {
        let error = await #expect(throws: ModelError.self) {
            _ = try await model(stream: stream).complete(ModelRequest(prompt: "카피 [[reset]]"), onToken: nil)
        }
        #expect(error?.kind == .connection)
        #expect(error?.isRetryable == true)
    }

    @Test func aSlowAnswerTimesOut() async throws {
        let error = await #expect(throws: ModelError.self) {
            _ = try await model(timeout: .milliseconds(300)).complete(ModelRequest(prompt: "카피 [[slow:3]]"), onToken: nil)
        }
        #expect(error == ModelError(.timeout, "http://127.0.0.1:\(server.port)/v1/chat/completions: no complete answer within 0.3 s"))
        #expect(error?.isRetryable == true)
    }

    @Test(arguments: [false, true])
    func aFiftyMegabyteBodyIsRefused(stream: Bool) async throws {
        await #expect(throws: ModelError(.responseTooLarge(limit: 1 << 20), "http://127.0.0.1:\(server.port)/v1/chat/completions: the answer is larger than the 1 MiB limit; it was cut off")) {
            _ = try await model(stream: stream).complete(ModelRequest(prompt: "카피 [[huge]]"), onToken: nil)
        }
    }

    @Test func anUnknownModelIsNotFound() async throws {
        await #expect(throws: ModelError(.notFound(status: 404), "http://127.0.0.1:\(server.port)/v1/chat/completions: HTTP 404: The model 'unknown-model' does not exist")) {
            _ = try await model(name: "unknown-model").complete(ModelRequest(prompt: "x"), onToken: nil)
        }
    }

    @Test func anUnreachableServerIsAConnectionError() async throws {
        let closed = OpenAICompatibleModel(.init(baseURL: URL(string: "http://127.0.0.1:1/v1")!, model: "m", stream: false))
        let error = await #expect(throws: ModelError.self) {
            _ = try await closed.complete(ModelRequest(prompt: "x"), onToken: nil)
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.hasPrefix("http://127.0.0.1:1/v1/chat/completions: connection failed") == true)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let slow = model(timeout: .seconds(30))
        let task = Task { try await slow.complete(ModelRequest(prompt: "카피 [[slow:5]]"), onToken: nil) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: ModelError(.cancelled, "http://127.0.0.1:\(server.port)/v1/chat/completions: the request was cancelled")) { try result.get() }
    }

    @Test func theKeyNeverAppearsInTheIdentityOrErrors() async throws {
        let provider = model()
        #expect(provider.identity == "http://127.0.0.1:\(server.port)/v1#fake-model")
        let error = await #expect(throws: ModelError.self) {
            _ = try await provider.complete(ModelRequest(prompt: "[[500]]"), onToken: nil)
        }
        #expect(error?.description.contains("sk-test-secret") == false)
    }

    @Test(arguments: [("2", 2.0), ("0", 0.0), ("soon", nil)] as [(String, Double?)])
    func retryAfterIsParsed(header: String, seconds: Double?) {
        #expect(OpenAICompatibleModel.parseRetryAfter(header) == seconds)
    }
}

/// Collects streamed pieces from the token callback (called from another thread).
final class PieceCollector: @unchecked Sendable {
    // @unchecked Sendable: `pieces` is guarded by `lock`.
    private let lock = NSLock()
    private var pieces: [String] = []
    func append(_ piece: String) { lock.withLock { pieces.append(piece) } }
    var all: [String] { lock.withLock { pieces } }
}

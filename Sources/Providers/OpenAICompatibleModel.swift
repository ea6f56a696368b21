import Base
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A model behind an OpenAI-compatible `/chat/completions` endpoint: OpenAI, vLLM, Ollama,
/// llama.cpp's server.
///
/// The API key is sent only in the `Authorization` header; it never appears in `identity`,
/// error messages or anything the audit store records.
public final class OpenAICompatibleModel: LanguageModel, Sendable {

    /// How to reach the server.
    public struct Configuration: Sendable, Equatable {
        /// The API root, e.g. `http://localhost:11434/v1` (`/chat/completions` is appended).
        public var baseURL: URL
        public var model: String
        /// The bearer token, already read from the environment variable the workflow names.
        public var apiKey: String?
        /// Whether to ask for a streamed (SSE) answer, so tokens can be shown as they come.
        public var stream: Bool
        /// The limit for a request that does not set its own.
        public var defaultTimeout: Duration
        /// Answers larger than this are cut off and refused.
        public var maxResponseBytes: Int

        public init(baseURL: URL, model: String, apiKey: String? = nil, stream: Bool = true, defaultTimeout: Duration = .seconds(120), maxResponseBytes: Int = 16 << 20) {
            self.baseURL = baseURL
            self.model = model
            self.apiKey = apiKey
            self.stream = stream
            self.defaultTimeout = defaultTimeout
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public let configuration: Configuration
    private let transport = HTTPTransport()

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    deinit { transport.invalidate() }

    /// The base URL and model name, e.g. `http://localhost:11434/v1#qwen2.5:7b` (the audit store's convention).
    public var identity: String { "\(configuration.baseURL.absoluteString)#\(configuration.model)" }

    /// The endpoint requests are posted to.
    public var endpoint: URL {
        configuration.baseURL.appendingPathComponent("chat/completions")
    }

    public func complete(_ request: ModelRequest, onToken: (@Sendable (String) -> Void)?) async throws(ModelError) -> ModelResponse {
        if Task.isCancelled { throw ModelError(.cancelled, "\(endpoint.absoluteString): the request was cancelled") }
        let body = requestBody(request)
        var urlRequest = URLRequest(url: endpoint)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = body
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(BatonVersion.userAgent, forHTTPHeaderField: "User-Agent")
        urlRequest.setValue(configuration.stream ? "text/event-stream" : "application/json", forHTTPHeaderField: "Accept")
        if let key = configuration.apiKey, !key.isEmpty {
            urlRequest.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        }
        let timeout = request.timeout ?? configuration.defaultTimeout
        urlRequest.timeoutInterval = max(1, Double(timeout.components.seconds) + 1)

        let stream = StreamAccumulator(onToken: onToken)
        var onBytes: (@Sendable (Data) -> Void)?
        if configuration.stream { onBytes = { @Sendable data in stream.feed(data) } }
        let outcome = await transport.perform(urlRequest, limit: configuration.maxResponseBytes, timeout: timeout, onBytes: onBytes)
        if let failure = outcome.failure { throw failure }
        let target = "\(endpoint.absoluteString)"
        guard outcome.status == 200 else { throw Self.httpError(outcome, target: target) }
        if configuration.stream, outcome.headers["content-type"]?.contains("text/event-stream") ?? true, stream.sawEvent || outcome.body.isEmpty {
            return try stream.finish(target: target)
        }
        // A server that ignores `stream: true` answers with a plain JSON body, which the
        // accumulator collected verbatim.
        let data = configuration.stream ? stream.raw : outcome.body
        return try Self.parseCompletion(data, target: target)
    }

    /// The JSON body of a chat-completions request; keys sorted so requests are reproducible.
    func requestBody(_ request: ModelRequest) -> Data {
        var body: [String: Any] = [
            "model": configuration.model,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        let parameters = request.parameters
        if let value = parameters.temperature { body["temperature"] = value }
        if let value = parameters.topP { body["top_p"] = value }
        if let value = parameters.topK { body["top_k"] = value }
        if let value = parameters.maxTokens { body["max_tokens"] = value }
        if let value = parameters.seed { body["seed"] = value }
        if let stop = parameters.stop, !stop.isEmpty { body["stop"] = stop }
        switch request.responseFormat {
        case .text:
            break
        case .json:
            body["response_format"] = ["type": "json_object"]
        case .jsonSchema(let name, let schema):
            if let object = try? JSONSerialization.jsonObject(with: Data(schema.utf8)) {
                body["response_format"] = ["type": "json_schema", "json_schema": ["name": name, "schema": object]]
            } else {
                body["response_format"] = ["type": "json_object"]
            }
        }
        if configuration.stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// Classifies a non-200 answer, quoting the server's own error message.
    static func httpError(_ outcome: HTTPOutcome, target: String) -> ModelError {
        let status = outcome.status
        let said = serverMessage(outcome.body)
        let message = "\(target): HTTP \(status)" + (said.isEmpty ? "" : ": \(said)")
        switch status {
        case 429:
            return ModelError(.rateLimited(retryAfter: outcome.headers["retry-after"].flatMap(parseRetryAfter)), message)
        case 408:
            return ModelError(.timeout, message)
        case 401, 403:
            return ModelError(.unauthorized(status: status), message)
        case 404:
            return ModelError(.notFound(status: status), message)
        case 500...599:
            return ModelError(.server(status: status), message)
        default:
            return ModelError(.badRequest(status: status), message)
        }
    }

    /// `error.message` from an OpenAI-style error body, or the start of the body's text.
    static func serverMessage(_ body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = object["error"] as? String { return message }
            if let message = object["message"] as? String { return message }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text
    }

    /// `Retry-After` as seconds: a number, or an HTTP date.
    static func parseRetryAfter(_ value: String) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return max(0, date.timeIntervalSinceNow)
    }

    /// Parses a non-streamed chat completion.
    static func parseCompletion(_ data: Data, target: String) throws(ModelError) -> ModelResponse {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelError(.invalidResponse, "\(target): the answer is not JSON: \(preview(data))")
        }
        guard let choices = object["choices"] as? [[String: Any]], let first = choices.first else {
            throw ModelError(.invalidResponse, "\(target): the answer has no choices: \(preview(data))")
        }
        let message = first["message"] as? [String: Any]
        guard let text = message?["content"] as? String else {
            // `content: null` with no tool call is no answer at all: invalid (and retried), not an empty success.
            throw ModelError(.invalidResponse, "\(target): the answer has no content (\(message?["content"] is NSNull ? "content: null" : "no content") and no tool call): \(preview(data))")
        }
        let usage = UsageFigures(object["usage"] as? [String: Any])
        return ModelResponse(text: text, tokensIn: usage.tokensIn, tokensOut: usage.tokensOut,
                             finishReason: first["finish_reason"] as? String,
                             model: object["model"] as? String, usageNote: usage.note)
    }

    static func preview(_ data: Data) -> String {
        let text = String(decoding: data.prefix(120), as: UTF8.self)
        return data.count > 120 ? text + "…" : text
    }
}

import Foundation

/// Collects a streamed chat completion: parses the SSE events as bytes arrive, hands each text
/// delta to the token callback, and keeps the usage and finish reason from the last events.
final class StreamAccumulator: @unchecked Sendable {
    // @unchecked Sendable: every mutable property is guarded by `lock` (bytes arrive on the
    // URLSession delegate queue, `finish` runs on the awaiting task).
    private let lock = NSLock()
    private let onToken: (@Sendable (String) -> Void)?
    private var parser = ServerSentEventParser()
    private var text = ""
    private var tokensIn: Int?
    private var tokensOut: Int?
    private var usageNote: String?
    private var finishReason: String?
    private var model: String?
    private var done = false
    private var badEvent: String?
    private var serverError: String?
    private var rawBytes = Data()
    private var events = 0

    init(onToken: (@Sendable (String) -> Void)?) {
        self.onToken = onToken
    }

    /// Whether any `data:` event arrived (a server that ignored `stream` sends none).
    var sawEvent: Bool { lock.withLock { events > 0 } }
    /// The bytes received, for a server that answered with a plain JSON body.
    var raw: Data { lock.withLock { rawBytes } }

    func feed(_ data: Data) {
        let deltas: [String] = lock.withLock {
            if rawBytes.count < 1 << 20 { rawBytes.append(data) }
            return parser.feed(data).compactMap { take($0) }
        }
        if let onToken { for delta in deltas where !delta.isEmpty { onToken(delta) } }
    }

    /// The whole answer, once the body is complete.
    func finish(target: String) throws(ModelError) -> ModelResponse {
        let result: Result<ModelResponse, ModelError> = lock.withLock {
            let tail = parser.finish().compactMap { take($0) }
            text += tail.joined()
            if let serverError { return .failure(ModelError(.server(status: 200), "\(target): the stream reported an error: \(serverError)")) }
            if let badEvent { return .failure(ModelError(.invalidResponse, "\(target): a streamed event is not JSON: \(badEvent)")) }
            guard done || finishReason != nil else {
                return .failure(ModelError(.connection, "\(target): the stream ended before the answer was complete"))
            }
            return .success(ModelResponse(text: text, tokensIn: tokensIn, tokensOut: tokensOut, finishReason: finishReason, model: model,
                                          usageNote: usageNote))
        }
        return try result.get()
    }

    /// Applies one event; returns its text delta. Called under `lock`.
    private func take(_ event: String) -> String? {
        events += 1
        if event.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            done = true
            return nil
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any] else {
            if badEvent == nil { badEvent = String(event.prefix(120)) }
            return nil
        }
        if let error = object["error"] {
            serverError = ((error as? [String: Any])?["message"] as? String) ?? String(describing: error)
            return nil
        }
        if let name = object["model"] as? String { model = name }
        if let usage = object["usage"] as? [String: Any] {
            let figures = UsageFigures(usage)
            tokensIn = figures.tokensIn ?? tokensIn
            tokensOut = figures.tokensOut ?? tokensOut
            usageNote = figures.note ?? usageNote
        }
        guard let choice = (object["choices"] as? [[String: Any]])?.first else { return nil }
        if let reason = choice["finish_reason"] as? String { finishReason = reason }
        let delta = (choice["delta"] as? [String: Any])?["content"] as? String
            ?? (choice["text"] as? String)
        if let delta { text += delta }
        return delta
    }
}

import Foundation
import Synchronization

/// Collects a streamed chat completion: parses the SSE events as bytes arrive, hands each text
/// delta to the token callback, and keeps the usage and finish reason from the last events.
final class StreamAccumulator: Sendable {
    /// Everything the events have said so far; bytes arrive on the URLSession delegate queue,
    /// `finish` runs on the awaiting task, so it lives in a `Mutex`.
    fileprivate struct State {
        var parser = ServerSentEventParser()
        var text = ""
        var tokensIn: Int?
        var tokensOut: Int?
        var usageNote: String?
        var finishReason: String?
        var model: String?
        var done = false
        var badEvent: String?
        var serverError: String?
        var rawBytes = Data()
        var events = 0
    }

    private let onToken: (@Sendable (String) -> Void)?
    private let state = Mutex(State())

    init(onToken: (@Sendable (String) -> Void)?) {
        self.onToken = onToken
    }

    /// Whether any `data:` event arrived (a server that ignored `stream` sends none).
    var sawEvent: Bool { state.withLock { $0.events > 0 } }
    /// The bytes received, for a server that answered with a plain JSON body.
    var raw: Data { state.withLock { $0.rawBytes } }

    func feed(_ data: Data) {
        let deltas: [String] = state.withLock { state in
            if state.rawBytes.count < 1 << 20 { state.rawBytes.append(data) }
            return state.parser.feed(data).compactMap { state.take($0) }
        }
        if let onToken { for delta in deltas where !delta.isEmpty { onToken(delta) } }
    }

    /// The whole answer, once the body is complete.
    func finish(target: String) throws(ModelError) -> ModelResponse {
        let result: Result<ModelResponse, ModelError> = state.withLock { state in
            let tail = state.parser.finish().compactMap { state.take($0) }
            state.text += tail.joined()
            if let serverError = state.serverError { return .failure(ModelError(.server(status: 200), "\(target): the stream reported an error: \(serverError)")) }
            if let badEvent = state.badEvent { return .failure(ModelError(.invalidResponse, "\(target): a streamed event is not JSON: \(badEvent)")) }
            guard state.done || state.finishReason != nil else {
                return .failure(ModelError(.connection, "\(target): the stream ended before the answer was complete"))
            }
            return .success(ModelResponse(text: state.text, tokensIn: state.tokensIn, tokensOut: state.tokensOut, finishReason: state.finishReason,
                                          model: state.model, usageNote: state.usageNote))
        }
        return try result.get()
    }
}

extension StreamAccumulator.State {
    /// Applies one event; returns its text delta.
    mutating func take(_ event: String) -> String? {
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

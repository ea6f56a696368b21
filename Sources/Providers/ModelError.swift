import Foundation

/// Why a model call failed, classified so the engine knows whether a retry can help.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure classes a provider distinguishes.
    public enum Kind: Sendable, Equatable {
        /// The request took longer than its time limit.
        case timeout
        /// HTTP 429; `retryAfter` is the server's `Retry-After` in seconds, when it sent one.
        case rateLimited(retryAfter: Double?)
        /// HTTP 5xx (or 408): the server failed, a later try may succeed.
        case server(status: Int)
        /// The connection could not be made or broke (refused, reset, DNS).
        case connection
        /// The server answered something that is not a chat completion (bad JSON, no choices).
        case invalidResponse
        /// The answer body exceeded the size limit; retrying would fetch it again.
        case responseTooLarge(limit: Int)
        /// HTTP 400, 422 or a malformed request: the request itself must change.
        case badRequest(status: Int)
        /// HTTP 401 or 403: the API key is missing or wrong.
        case unauthorized(status: Int)
        /// HTTP 404: the model (or endpoint) does not exist on this server.
        case notFound(status: Int)
        /// The run was cancelled while the request was in flight.
        case cancelled
        /// The provider is misconfigured (no API key in the named variable, bad base URL, ...).
        case configuration
        /// The local runtime failed while answering (the prompt does not fit the context, the
        /// chat template cannot render the messages, ...): the same request would fail again.
        case localModel
    }

    public var kind: Kind
    /// A sentence for people, naming the server and what it said (never the API key).
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether trying the same request again may succeed: timeouts, rate limits, server errors,
    /// broken connections and garbled answers are transient; the rest are not.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .rateLimited, .server, .connection, .invalidResponse: return true
        case .responseTooLarge, .badRequest, .unauthorized, .notFound, .cancelled, .configuration, .localModel: return false
        }
    }

    /// The wait the server asked for before the next try, if it asked.
    public var retryAfter: Double? {
        if case .rateLimited(let seconds) = kind { return seconds }
        return nil
    }

    /// A short name for the class, stored in the audit store's error text.
    public var kindName: String {
        switch kind {
        case .timeout: return "timeout"
        case .rateLimited: return "rate_limited"
        case .server: return "server_error"
        case .connection: return "connection"
        case .invalidResponse: return "invalid_response"
        case .responseTooLarge: return "response_too_large"
        case .badRequest: return "bad_request"
        case .unauthorized: return "unauthorized"
        case .notFound: return "not_found"
        case .cancelled: return "cancelled"
        case .configuration: return "configuration"
        case .localModel: return "local_model"
        }
    }

    public var description: String { "\(kindName): \(message)" }
}

/// Why a request could not be read; each maps to the status the server answers with before it
/// closes the connection.
public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Malformed syntax (400), with what was wrong.
    case badRequest(String)
    case uriTooLong
    case headersTooLarge
    case bodyTooLarge(limit: Int)
    case unsupportedVersion(String)
    /// A transfer coding other than `chunked` (501).
    case notImplemented(String)
    /// The client sent nothing for too long in the middle of a request (408).
    case timeout
    /// The connection closed in the middle of a request (no answer is possible).
    case closed

    public var status: Int {
        switch self {
        case .badRequest: return 400
        case .uriTooLong: return 414
        case .headersTooLarge: return 431
        case .bodyTooLarge: return 413
        case .unsupportedVersion: return 505
        case .notImplemented: return 501
        case .timeout: return 408
        case .closed: return 400
        }
    }

    public var description: String {
        switch self {
        case .badRequest(let what): return "bad request: \(what)"
        case .uriTooLong: return "the request line is too long"
        case .headersTooLarge: return "the header fields are too large"
        case .bodyTooLarge(let limit): return "the body is larger than \(limit) bytes"
        case .unsupportedVersion(let version): return "unsupported HTTP version '\(version)'"
        case .notImplemented(let coding): return "unsupported transfer coding '\(coding)'"
        case .timeout: return "the request was not completed in time"
        case .closed: return "the connection closed in the middle of a request"
        }
    }
}

/// The server's limits: every read is bounded, so no request can exhaust memory or hold a
/// connection for ever.
public struct HTTPLimits: Sendable, Equatable {
    public var requestLine = 8 * 1024
    public var headerBytes = 32 * 1024
    public var headerCount = 100
    public var body = 16 * 1024 * 1024
    /// The longest wait for the next bytes of a request once it started.
    public var readTimeout: Duration = .seconds(10)
    /// How long a kept-alive connection waits for its next request.
    public var idleTimeout: Duration = .seconds(5)
    /// Connections served at once; more are answered 503 and closed.
    public var connections = 64

    public init() {}
}

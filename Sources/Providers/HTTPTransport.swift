import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// The outcome of one HTTP exchange, before any chat-completions meaning is given to it.
struct HTTPOutcome: Sendable {
    var status: Int
    var headers: [String: String]
    /// The body (for a streamed 200 answer only what was not consumed as events).
    var body: Data
    /// Why the exchange did not complete, if it did not.
    var failure: ModelError?
}

/// Runs HTTP requests on one shared `URLSession`, delivering body bytes as they arrive.
///
/// A delegate (not `URLSession.data(for:)`) is used because Linux's FoundationNetworking has no
/// `bytes(for:)`: the delegate is what lets streamed tokens reach the terminal live, and lets a
/// body over the size limit be cut off at the limit instead of being read to the end. The
/// delegate is a separate object so that the session can be a constant made in `init`.
final class HTTPTransport: Sendable {
    private let delegate = TransportDelegate()
    private let session: URLSession
    /// Fires the timeouts. A serial queue of its own gets a thread even while the global pool is
    /// saturated (an embedding batch on every core), so a deadline is never served late.
    static let timers = DispatchQueue(label: "baton.http-timeouts")

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 256
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    /// Ends the session so its delegate is released.
    func invalidate() {
        session.finishTasksAndInvalidate()
    }

    /// Performs `request`. `onBytes` receives the body of a 200 answer piece by piece (then the
    /// outcome's body stays empty); other statuses collect their body for the error message.
    func perform(_ request: URLRequest, limit: Int, timeout: Duration, onBytes: (@Sendable (Data) -> Void)?) async -> HTTPOutcome {
        let task = session.dataTask(with: request)
        let exchange = Exchange(limit: limit, onBytes: onBytes)
        delegate.add(exchange, for: task.taskIdentifier)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<HTTPOutcome, Never>) in
                exchange.start(continuation)
                // The timeout bounds the whole exchange, whatever the headers announced: at the
                // deadline the task is cancelled and the caller answered at once, even when the
                // session would only report the end when the server closes (a trickled body).
                HTTPTransport.timers.asyncAfter(deadline: .now() + seconds) { [weak task] in
                    _ = exchange.mark(.timeout(seconds))
                    task?.cancel()
                    exchange.expire(url: request.url)
                }
                task.resume()
            }
        } onCancel: {
            if exchange.mark(.cancelled) { task.cancel() }
        }
    }
}

/// The session's delegate: routes each task's events to its `Exchange`.
final class TransportDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private let exchanges = Mutex<[Int: Exchange]>([:])

    func add(_ exchange: Exchange, for task: Int) {
        exchanges.withLock { $0[task] = exchange }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let exchange = exchanges.withLock({ $0[dataTask.taskIdentifier] }) else { return completionHandler(.cancel) }
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        exchange.respond(status: http?.statusCode ?? 0, headers: headers)
        if response.expectedContentLength > Int64(exchange.limit), exchange.mark(.tooLarge) {
            completionHandler(.cancel)
            dataTask.cancel()  // FoundationNetworking may keep reading after `.cancel` alone
            exchange.expire(url: dataTask.originalRequest?.url)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let exchange = exchanges.withLock({ $0[dataTask.taskIdentifier] }) else { return }
        switch exchange.receive(data) {
        case .overLimit:
            if exchange.mark(.tooLarge) { dataTask.cancel() }
        case .stream:
            exchange.onBytes?(data)
        case .kept:
            break
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let exchange = exchanges.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        exchange.finish(error: error, url: task.originalRequest?.url)
    }
}

/// The state of one request while it is in flight.
///
/// Everything that changes is in one `Mutex`: the response (written from the session's delegate
/// queue), the interruption (from the timer queue or a cancelled task) and the waiting caller.
final class Exchange: Sendable {
    enum Interruption: Sendable { case timeout(Double), cancelled, tooLarge }

    /// What to do with a piece of the body.
    enum Received { case stream, kept, overLimit }

    private struct State {
        var status = 0
        var headers: [String: String] = [:]
        var body = Data()
        var received = 0
        var interruption: Interruption?
        var continuation: CheckedContinuation<HTTPOutcome, Never>?
        var pendingOutcome: HTTPOutcome?
        /// Set once the caller has been (or is about to be) answered; later reports are ignored.
        var delivered = false
    }

    let limit: Int
    let onBytes: (@Sendable (Data) -> Void)?
    private let state = Mutex(State())

    init(limit: Int, onBytes: (@Sendable (Data) -> Void)?) {
        self.limit = limit
        self.onBytes = onBytes
    }

    func start(_ continuation: CheckedContinuation<HTTPOutcome, Never>) {
        let ready: HTTPOutcome? = state.withLock { state in
            if let pending = state.pendingOutcome { return pending }
            state.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Notes the response's status and headers.
    func respond(status: Int, headers: [String: String]) {
        state.withLock { state in
            state.status = status
            state.headers = headers
        }
    }

    /// Counts `data` against the limit; a 200 answer with a byte handler streams it, any other
    /// keeps it for the error message.
    func receive(_ data: Data) -> Received {
        state.withLock { state in
            state.received += data.count
            if state.received > limit { return .overLimit }
            if state.status == 200, onBytes != nil { return .stream }
            state.body.append(data)
            return .kept
        }
    }

    /// Records why the exchange is being stopped; only the first reason counts. Returns whether
    /// this call was the first (and so should cancel the task).
    func mark(_ reason: Interruption) -> Bool {
        state.withLock { state in
            guard state.interruption == nil, !state.delivered else { return false }
            state.interruption = reason
            return true
        }
    }

    /// Answers the caller now with the recorded interruption (a timeout, a body over the limit),
    /// without waiting for the session to report the task's end. The body is left out: the
    /// delegate queue may still be appending to it, and a failed exchange does not need it.
    func expire(url: URL?) {
        guard let reason = state.withLock({ $0.interruption }) else { return }
        deliver(HTTPOutcome(status: 0, headers: [:], body: Data(), failure: Self.failure(for: reason, limit: limit, target: url?.absoluteString ?? "the server")))
    }

    private static func failure(for reason: Interruption, limit: Int, target: String) -> ModelError {
        switch reason {
        case .timeout(let seconds):
            return ModelError(.timeout, "\(target): no complete answer within \(Self.format(seconds)) s")
        case .cancelled:
            return ModelError(.cancelled, "\(target): the request was cancelled")
        case .tooLarge:
            return ModelError(.responseTooLarge(limit: limit), "\(target): the answer is larger than the \(Self.byteText(limit)) limit; it was cut off")
        }
    }

    func finish(error: Error?, url: URL?) {
        let target = url?.absoluteString ?? "the server"
        var failure: ModelError?
        let (reason, status, headers, body) = state.withLock { ($0.interruption, $0.status, $0.headers, $0.body) }
        if let reason {
            failure = Self.failure(for: reason, limit: limit, target: target)
        } else if let error {
            failure = Self.classify(error, target: target)
        }
        deliver(HTTPOutcome(status: status, headers: headers, body: body, failure: failure))
    }

    /// Hands `outcome` to the caller once; a second report (the session's, after `expire`) is dropped.
    private func deliver(_ outcome: HTTPOutcome) {
        let waiting: CheckedContinuation<HTTPOutcome, Never>? = state.withLock { state in
            if state.delivered { return nil }
            state.delivered = true
            if let continuation = state.continuation {
                state.continuation = nil
                return continuation
            }
            state.pendingOutcome = outcome
            return nil
        }
        waiting?.resume(returning: outcome)
    }

    private static func classify(_ error: Error, target: String) -> ModelError {
        let nsError = error as NSError
        let detail = nsError.localizedDescription
        if let urlError = error as? URLError {
            switch urlError.code {
            case .timedOut:
                return ModelError(.timeout, "\(target): timed out (\(detail))")
            case .cancelled:
                return ModelError(.cancelled, "\(target): the request was cancelled")
            case .badURL, .unsupportedURL:
                return ModelError(.configuration, "\(target): bad URL (\(detail))")
            default:
                break
            }
        }
        return ModelError(.connection, "\(target): connection failed (\(detail))")
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.3g", seconds)
    }

    static func byteText(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : bytes >= 1 << 10 ? "\(bytes >> 10) KiB" : "\(bytes) bytes"
    }
}

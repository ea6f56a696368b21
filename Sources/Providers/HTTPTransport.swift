import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
/// body over the size limit be cut off at the limit instead of being read to the end.
final class HTTPTransport: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked Sendable: `exchanges` is only touched under `lock`; each Exchange's own state is
    // only touched from the session's serial delegate queue or under its lock.
    private let lock = NSLock()
    private var exchanges: [Int: Exchange] = [:]
    private var session: URLSession?
    /// Fires the timeouts. A serial queue of its own gets a thread even while the global pool is
    /// saturated (an embedding batch on every core), so a deadline is never served late.
    static let timers = DispatchQueue(label: "baton.http-timeouts")

    override init() {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 256
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Ends the session so its delegate (this object) is released.
    func invalidate() {
        session?.finishTasksAndInvalidate()
    }

    /// Performs `request`. `onBytes` receives the body of a 200 answer piece by piece (then the
    /// outcome's body stays empty); other statuses collect their body for the error message.
    func perform(_ request: URLRequest, limit: Int, timeout: Duration, onBytes: (@Sendable (Data) -> Void)?) async -> HTTPOutcome {
        guard let session else {
            return HTTPOutcome(status: 0, headers: [:], body: Data(), failure: ModelError(.configuration, "the HTTP session is closed"))
        }
        let task = session.dataTask(with: request)
        let exchange = Exchange(limit: limit, onBytes: onBytes)
        lock.withLock { exchanges[task.taskIdentifier] = exchange }
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

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse, completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let exchange = lock.withLock({ exchanges[dataTask.taskIdentifier] }) else { return completionHandler(.cancel) }
        let http = response as? HTTPURLResponse
        exchange.status = http?.statusCode ?? 0
        var headers: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] {
            headers[String(describing: key).lowercased()] = String(describing: value)
        }
        exchange.headers = headers
        if response.expectedContentLength > Int64(exchange.limit), exchange.mark(.tooLarge) {
            completionHandler(.cancel)
            dataTask.cancel()  // FoundationNetworking may keep reading after `.cancel` alone
            exchange.expire(url: dataTask.originalRequest?.url)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let exchange = lock.withLock({ exchanges[dataTask.taskIdentifier] }) else { return }
        exchange.received += data.count
        if exchange.received > exchange.limit {
            if exchange.mark(.tooLarge) { dataTask.cancel() }
            return
        }
        if exchange.status == 200, let onBytes = exchange.onBytes {
            onBytes(data)
        } else {
            exchange.body.append(data)
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let exchange = lock.withLock({ exchanges.removeValue(forKey: task.taskIdentifier) }) else { return }
        exchange.finish(error: error, url: task.originalRequest?.url)
    }
}

/// The state of one request while it is in flight.
final class Exchange: @unchecked Sendable {
    // @unchecked Sendable: status/headers/body/received are written only on the session's serial
    // delegate queue; `interruption` and the continuation are guarded by `lock`.
    enum Interruption { case timeout(Double), cancelled, tooLarge }

    let limit: Int
    let onBytes: (@Sendable (Data) -> Void)?
    var status = 0
    var headers: [String: String] = [:]
    var body = Data()
    var received = 0
    private let lock = NSLock()
    private var interruption: Interruption?
    private var continuation: CheckedContinuation<HTTPOutcome, Never>?
    private var pendingOutcome: HTTPOutcome?
    /// Set once the caller has been (or is about to be) answered; later reports are ignored.
    private var delivered = false

    init(limit: Int, onBytes: (@Sendable (Data) -> Void)?) {
        self.limit = limit
        self.onBytes = onBytes
    }

    func start(_ continuation: CheckedContinuation<HTTPOutcome, Never>) {
        let ready: HTTPOutcome? = lock.withLock {
            if let pendingOutcome { return pendingOutcome }
            self.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    /// Records why the exchange is being stopped; only the first reason counts. Returns whether
    /// this call was the first (and so should cancel the task).
    func mark(_ reason: Interruption) -> Bool {
        lock.withLock {
            guard interruption == nil, !delivered else { return false }
            interruption = reason
            return true
        }
    }

    /// Answers the caller now with the recorded interruption (a timeout, a body over the limit),
    /// without waiting for the session to report the task's end. The body is left out: the
    /// delegate queue may still be appending to it, and a failed exchange does not need it.
    func expire(url: URL?) {
        guard let reason = lock.withLock({ interruption }) else { return }
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
        let reason = lock.withLock { interruption }
        if let reason {
            failure = Self.failure(for: reason, limit: limit, target: target)
        } else if let error {
            failure = Self.classify(error, target: target)
        }
        deliver(HTTPOutcome(status: status, headers: headers, body: body, failure: failure))
    }

    /// Hands `outcome` to the caller once; a second report (the session's, after `expire`) is dropped.
    private func deliver(_ outcome: HTTPOutcome) {
        let waiting: CheckedContinuation<HTTPOutcome, Never>? = lock.withLock {
            if delivered { return nil }
            delivered = true
            if let continuation {
                self.continuation = nil
                return continuation
            }
            pendingOutcome = outcome
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

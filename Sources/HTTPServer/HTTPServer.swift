#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Baton's own HTTP/1.1 server over POSIX sockets: one thread per connection, at most
/// `limits.connections` at once, keep-alive, bounded reads (`HTTPLimits`), and a graceful stop
/// that lets the requests in progress finish.
///
/// ```swift
/// let server = try HTTPServer(host: "127.0.0.1", port: 8600) { request in .text("hello") }
/// server.start()      // accepts on a background thread
/// server.stop()       // stops accepting, waits for the requests in progress
/// ```
///
/// `@unchecked Sendable`: the mutable state (`active`, `stopping`, `listener`, the open
/// connections) is only touched under `lock`; the handler is `@Sendable`.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let host: String
    /// The bound port (the one the system chose when 0 was asked for).
    public private(set) var port: Int
    public let limits: HTTPLimits
    let handler: Handler
    private let lock = NSLock()
    private var listener: Int32
    private var stopping = false
    private var active = 0
    private var idle: Set<Int32> = []
    private var thread: Thread?

    /// Binds and listens; throws `HTTPServerError` naming the address when it cannot.
    public init(host: String, port: Int, limits: HTTPLimits = HTTPLimits(), handler: @escaping Handler) throws(HTTPServerError) {
        self.host = host
        self.limits = limits
        self.handler = handler
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw HTTPServerError(address: "\(host):\(port)", reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(found) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPServerError(address: "\(host):\(port)", reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0, listen(descriptor, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw HTTPServerError(address: "\(host):\(port)", reason: reason)
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        var chosen = port
        if bound == 0 {
            chosen = withUnsafePointer(to: &address) { pointer in
                if Int32(pointer.pointee.ss_family) == AF_INET6 {
                    return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
                }
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        }
        self.port = chosen
        self.listener = descriptor
    }

    deinit { if listener >= 0 { close(listener) } }

    /// Starts accepting on a background thread.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "baton-http-accept"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Whether `stop` was called.
    public var isStopping: Bool { lock.withLock { stopping } }

    /// Stops accepting, wakes idle keep-alive connections, and waits up to `grace` for the
    /// requests in progress (and their streams) to finish.
    public func stop(grace: Duration = .seconds(10)) {
        lock.withLock {
            stopping = true
            // Under the lock: a descriptor in `idle` is still open (its thread removes it, under
            // the same lock, before closing it), so no reused descriptor is shut down by mistake.
            for descriptor in idle { shutdown(descriptor, Int32(SHUT_RD)) }
        }
        let deadline = ContinuousClock.now + grace
        while lock.withLock({ active > 0 }), ContinuousClock.now < deadline { usleep(10_000) }
    }

    private func acceptLoop() {
        while !isStopping {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) <= 0 { continue }
            let client = accept(listener, nil, nil)
            if client < 0 { continue }
            let admitted: Bool = lock.withLock {
                guard active < limits.connections, !stopping else { return false }
                active += 1
                return true
            }
            guard admitted else {
                setTimeouts(client, .seconds(1))
                _ = sendAll(client, Self.serialize(.text("busy: too many connections\n", status: 503), keepAlive: false))
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client)
                lock.withLock { active -= 1 }
            }
            thread.stackSize = 512 * 1024
            thread.start()
        }
        lock.withLock {
            close(listener)
            listener = -1
        }
    }

    /// Serves requests on one connection until it closes, asks to, fails, or the server stops.
    private func serve(_ descriptor: Int32) {
        defer { close(descriptor) }
        var reader = ByteReader(SocketSource(descriptor: descriptor))
        var first = true
        while true {
            // Between requests the connection is idle: a stop wakes it, and it waits only
            // `idleTimeout` (the first request gets `readTimeout`).
            setTimeouts(descriptor, first ? limits.readTimeout : limits.idleTimeout)
            guard lock.withLock({ () -> Bool in
                if stopping { return false }
                idle.insert(descriptor)
                return true
            }) else { return }
            let ready = (try? reader.hasMore()) ?? false
            lock.withLock { _ = idle.remove(descriptor) }
            guard ready else { return }
            setTimeouts(descriptor, limits.readTimeout)
            let request: HTTPRequest
            do {
                guard let parsed = try HTTPParser.read(&reader, limits: limits) else { return }
                request = parsed
            } catch {
                if error != .closed {
                    _ = sendAll(descriptor, Self.serialize(.text(error.description + "\n", status: error.status), keepAlive: false))
                }
                return
            }
            first = false
            let response = handler(request)
            let keepAlive = request.keepAlive && !isStopping
            switch response.body {
            case .bytes:
                guard sendAll(descriptor, Self.serialize(response, keepAlive: keepAlive, head: request.method == "HEAD")) else { return }
                if !keepAlive { return }
            case .stream(let body):
                guard sendAll(descriptor, Self.serialize(response, keepAlive: false)) else { return }
                body(SocketStreamWriter(descriptor: descriptor, server: self))
                return
            }
        }
    }

    /// The status line, headers and (unless `head`) body of `response`.
    static func serialize(_ response: HTTPResponse, keepAlive: Bool, head: Bool = false) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(HTTPResponse.reason(response.status))\r\n"
        for (name, value) in response.headers where !value.contains("\r") && !value.contains("\n") { text += "\(name): \(value)\r\n" }
        var body: [UInt8] = []
        if case .bytes(let bytes) = response.body {
            body = bytes
            text += "Content-Length: \(bytes.count)\r\n"
        }
        text += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(text.utf8) + (head ? [] : body)
    }
}

/// Writes a streamed body straight to the socket.
struct SocketStreamWriter: HTTPStreamWriter {
    let descriptor: Int32
    let server: HTTPServer

    func write(_ text: String) -> Bool { sendAll(descriptor, Array(text.utf8)) }
    var isStopping: Bool { server.isStopping }
}

/// The server could not listen: the address and the system's reason.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
    public var address: String
    public var reason: String
    public var description: String { "cannot listen on \(address): \(reason)" }
}

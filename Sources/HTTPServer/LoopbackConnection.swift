#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The client end of one TCP connection to `127.0.0.1:port`, as a browser opens it: for the
/// console benchmark and the tests that talk to a running server byte for byte. It owns the
/// socket and closes it once (`close()` or `deinit`).
public final class LoopbackConnection {
    private var descriptor: Int32

    /// The error of a connection that could not be opened.
    public struct Refused: Error, CustomStringConvertible {
        public var port: Int
        public var description: String { "cannot connect to port \(port)" }
    }

    /// Connects; a read waits at most `timeout` seconds for bytes (then reads as the end).
    public init(port: Int, timeout: Int = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var wait = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            closeSocket(descriptor)
            throw Refused(port: port)
        }
    }

    deinit { close() }

    /// Sends `bytes` as they are (a malformed request included); a closed peer is not a signal.
    public func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { sendSocket(descriptor, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// The next bytes that arrive, at most `limit`; nil at the end of the stream or the timeout.
    public func receive(limit: Int = 65536) -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: limit)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, limit, 0) }
        return count > 0 ? Array(chunk.prefix(count)) : nil
    }

    /// Everything until the server closes (or the timeout passes).
    public func receiveAll() -> [UInt8] {
        var out: [UInt8] = []
        while let chunk = receive() { out += chunk }
        return out
    }

    /// Says "no more bytes": the server sees the end of the request stream.
    public func finishSending() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Closes the socket (again is harmless).
    public func close() {
        guard descriptor >= 0 else { return }
        closeSocket(descriptor)
        descriptor = -1
    }
}

// The C functions under other names: inside `LoopbackConnection` its own `close()` and
// `send(_:)` hide them.
private func closeSocket(_ descriptor: Int32) { close(descriptor) }
private func sendSocket(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32) -> Int {
    send(descriptor, bytes, count, flags)
}

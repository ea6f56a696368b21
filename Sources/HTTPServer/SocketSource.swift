#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a connected socket; a read that waits past the socket's receive timeout is `.timeout`.
struct SocketSource: ByteSource {
    let descriptor: Int32

    mutating func read(upTo count: Int) throws(HTTPError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let got = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, count, 0) }
            if got >= 0 { return Array(bytes.prefix(got)) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .timeout }
            return []  // reset by the peer: treated as the end of the stream
        }
    }
}

/// Sets a socket's receive and send timeouts.
func setTimeouts(_ descriptor: Int32, _ duration: Duration) {
    let seconds = duration.components.seconds
    var value = timeval(tv_sec: Int(seconds), tv_usec: Int(duration.components.attoseconds / 1_000_000_000_000))
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
}

/// Writes all of `bytes`; false when the peer is gone or the send timed out.
func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
    var sent = 0
    while sent < bytes.count {
        let count = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
        if count < 0, errno == EINTR { continue }
        if count <= 0 { return false }
        sent += count
    }
    return true
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A raw TCP client for tests: sends exact bytes (malformed ones included) and reads the answer.
struct LoopbackClient {
    let descriptor: Int32

    init(port: Int, timeout: Int = 5) throws {
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
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Says "no more bytes" (the server sees the end of the stream).
    func finishSending() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Everything until the server closes (or the timeout passes).
    func readAll() -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 4096, 0) }
            if count <= 0 { break }
            out += buffer.prefix(count)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads until `marker` appears (one response on a kept-alive connection).
    func read(until marker: String) -> String {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: out, as: UTF8.self).contains(marker) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 4096, 0) }
            if count <= 0 { break }
            out += buffer.prefix(count)
        }
        return String(decoding: out, as: UTF8.self)
    }

    func closeConnection() { close(descriptor) }
}

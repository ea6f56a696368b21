#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// `baton serve` running in the background for a test: started with `--port 0`, its port read
/// from what it prints; `stop()` sends SIGTERM and waits for a clean exit.
final class ServeProcess {
    let process = Process()
    let log: URL
    private(set) var port = 0
    private(set) var stderrText = ""

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL) throws {
        log = directory.appendingPathComponent("serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = BatonProcess.executable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try Spawn.run(process)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            stderrText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let match = stderrText.firstMatch(of: /listening on http:\/\/[^ ]*:(\d+)\//), let number = Int(match.1) {
                port = number
                return
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw POSIXError(.ETIMEDOUT)
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        stderrText = (try? String(contentsOf: log, encoding: .utf8)) ?? stderrText
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// One HTTP/1.1 request over a fresh loopback connection, read until the server closes.
struct LoopbackHTTP {
    var status: Int
    var headers: String
    var body: String

    static func request(port: Int, method: String = "GET", _ path: String, headers: [String: String] = [:], body: String = "") throws -> LoopbackHTTP {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var wait = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        let bytes = Array((text + "\r\n" + body).utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 8192, 0) }
            if count <= 0 { break }
            out += buffer.prefix(count)
        }
        let reply = String(decoding: out, as: UTF8.self)
        let parts = reply.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.dropFirst(9).prefix(3)) ?? 0
        return LoopbackHTTP(status: status, headers: head, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

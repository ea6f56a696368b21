#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
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
        let connection = try LoopbackConnection(port: port, timeout: 20)
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        connection.send(Array((text + "\r\n" + body).utf8))
        let out = connection.receiveAll()
        let reply = String(decoding: out, as: UTF8.self)
        let parts = reply.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let status = Int(head.dropFirst(9).prefix(3)) ?? 0
        return LoopbackHTTP(status: status, headers: head, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// The run page at `path` once the run shows as succeeded: polled every 50 ms, at most 100
    /// times (the last page either way, so the caller's expectation says what it shows).
    static func succeededRunPage(port: Int, _ path: String) throws -> LoopbackHTTP {
        var page = try request(port: port, path)
        for _ in 0..<100 where !page.body.contains("data-status=\"succeeded\"") {
            usleep(50_000)
            page = try request(port: port, path)
        }
        return page
    }
}

import Foundation
import Testing
import TestSupport

/// `baton model pull` against a loopback server with Range support (Server/range_server.py).
private final class RangeServer {
    let port: Int
    let log: URL
    private let process = Process()

    init(root: URL, cut: Int = 0) throws {
        log = root.appendingPathComponent("requests.log")
        let script = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("Server/range_server.py")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--root", root.path, "--log", log.path, "--cut", String(cut)]
        let output = Spawn.pipe()
        process.standardOutput = output
        try Spawn.run(process)
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        port = Int(text.dropFirst(5)) ?? 0
    }

    var ranges: [String] { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init) }
    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

private func sha256(_ data: Data) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sha-\(UUID().uuidString)")
    try data.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", file.path]
    let out = Spawn.pipe()
    process.standardOutput = out
    try Spawn.run(process)
    process.waitUntilExit()
    return String(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
}

@Test func pullDownloadsResumesAndChecksTheHash() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("baton-pull-\(UUID().uuidString)")
    let served = root.appendingPathComponent("served"), models = root.appendingPathComponent("models")
    try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let body = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251) })
    try body.write(to: served.appendingPathComponent("tiny.gguf"))
    let digest = try sha256(body)
    let server = try RangeServer(root: served)
    let url = "http://127.0.0.1:\(server.port)/tiny.gguf"

    // A partial file from an earlier, interrupted pull is resumed from its end.
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    try body.prefix(100_000).write(to: models.appendingPathComponent("tiny.gguf.part"))
    let resumed = try BatonProcess.run(["model", "pull", url, "--sha256", digest, "--dir", models.path])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout == models.appendingPathComponent("tiny.gguf").path + "\n")
    #expect(try Data(contentsOf: models.appendingPathComponent("tiny.gguf")) == body)
    #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("tiny.gguf.part").path))
    #expect(server.ranges == ["bytes=100000-"])

    // A wrong hash keeps nothing, and says what was expected and found.
    let wrong = String(repeating: "0", count: 64)
    let bad = try BatonProcess.run(["model", "pull", url, "--sha256", wrong, "--dir", root.appendingPathComponent("other").path])
    #expect(bad.status == 1)
    #expect(bad.stderr == "baton: model pull: \(url): SHA-256 mismatch: expected \(wrong), got \(digest); the partial file was removed\n")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("other/tiny.gguf").path))

    let missing = try BatonProcess.run(["model", "pull", "http://127.0.0.1:\(server.port)/none.gguf", "--dir", models.path])
    #expect(missing.status == 1)
    #expect(missing.stderr == "baton: model pull: http://127.0.0.1:\(server.port)/none.gguf: HTTP 404\n")
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import TestSupport
#endif

/// The loopback OpenAI-compatible server (`fake_openai.py`) running as a child process.
///
/// It binds 127.0.0.1 on a free port, records every request, and answers deterministically;
/// see the script's header for its markers. Stopped when the value is released.
final class FakeOpenAIServer: @unchecked Sendable {
    // @unchecked Sendable: all stored properties are immutable after init; Process is only
    // terminated once from `stop`, guarded by `lock`.
    let port: Int
    let logURL: URL
    let directory: URL
    private let process: Process
    private let lock = NSLock()
    private var stopped = false

    static var script: URL {
        // Resolved, since CLITests reaches this file through a symbolic link.
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("fake_openai.py")
    }

    /// Starts the server with `config` (the script's JSON configuration).
    init(config: String = "{}") throws {
        directory = try TemporaryFolder.make("fake-openai")
        logURL = directory.appendingPathComponent("requests.jsonl")
        let configURL = directory.appendingPathComponent("config.json")
        try Data(config.utf8).write(to: configURL)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--log", logURL.path, "--config", configURL.path]
        let output = Spawn.pipe()
        process.standardOutput = output
        try Spawn.run(process)
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw ServerError(message: "fake_openai.py did not print its port (got '\(text)')")
        }
        self.port = port
    }

    deinit { stop() }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The API root to configure a provider with.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every chat-completions request body received so far, in arrival order.
    func requests() -> [[String: Any]] {
        guard let data = try? Data(contentsOf: logURL) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// The request bodies only.
    func bodies() -> [[String: Any]] { requests().compactMap { $0["body"] as? [String: Any] } }

    /// The last user message of each request, in arrival order.
    func prompts() -> [String] {
        bodies().map { body in
            let messages = body["messages"] as? [[String: Any]] ?? []
            return messages.last(where: { $0["role"] as? String == "user" })?["content"] as? String ?? ""
        }
    }

    var requestCount: Int { requests().count }

    /// GET on a control endpoint (`/stats`, `/requests`), decoded as a JSON object.
    func get(_ path: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// POST a JSON object to `/config` to change the server's behaviour mid-test.
    func configure(_ json: String) async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/config")!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        _ = try await URLSession.shared.data(for: request)
    }
}

import Foundation
@testable import Audit
import TestSupport

/// A fresh store in its own temporary folder, with a fixed clock, removed afterwards.
final class AuditFixture: Sendable {
    let folder: URL
    let store: AuditStore
    var path: String { store.path }
    static let t0 = Date(timeIntervalSince1970: 1_795_918_530)  // 2026-11-29T02:15:30Z

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-audit-\(UUID().uuidString)")
        store = try AuditStore(path: folder.appendingPathComponent(".baton/baton.db").path, now: { AuditFixture.t0 })
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// A run of the campaign workflow with a Korean input.
    func startRun(id: String? = nil, parent: String? = nil, workflow: String = "campaign-copy", on other: AuditStore? = nil) throws -> RunRecord {
        try (other ?? store).startRun(NewRun(workflow: workflow, workflowSource: "baton: 1\nname: \(workflow)\n",
                                  inputsJSON: #"{"product":"무선 이어폰","api_key":"***"}"#,
                                  trigger: parent == nil ? .manual : .resume, parentRunID: parent, id: id))
    }

    /// A finished attempt with the given status and output.
    func attempt(_ run: String, _ step: String, iteration: Int? = nil, attempt: Int = 1, status: AttemptStatus = .succeeded,
                 output: String = "카피 초안") -> StepAttemptRecord {
        StepAttemptRecord(runID: run, stepID: step, iteration: iteration, attempt: attempt, kind: "generate", status: status,
                          model: "http://127.0.0.1:8080/v1#qwen2.5:7b", parametersJSON: #"{"temperature":0.7}"#,
                          prompt: "톤: friendly / 제품: 무선 이어폰", outputText: output, tokensIn: 12, tokensOut: 34,
                          latencyMs: 56, startedAt: AuditFixture.t0, finishedAt: AuditFixture.t0.addingTimeInterval(0.056),
                          error: status == .failed ? "HTTP 500" : nil)
    }

    /// Runs SQL through the `sqlite3` shell, as someone editing the file by hand would.
    func shell(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let out = Spawn.pipe(), err = Spawn.pipe()
        process.standardOutput = out
        process.standardError = err
        try Spawn.run(process)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            + String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    static var hasShell: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") }
}

import Base
import Audit
import CommandKit
import Foundation
import SQLite

/// `baton bench audit`: what the audit trail costs. Appending a chained attempt row against a
/// plain INSERT of the same columns, verifying, and the Swift SHA-256 against coreutils'
/// `sha256sum` on the same bytes. Medians of several repetitions, side by side.
struct BenchAuditCommand: TableCommand {
    static let abstract = "Audit store: chained appends vs plain inserts, verify, SHA-256 vs sha256sum."
    static let options = OptionTable("baton bench audit", [
        .option("rows", value: "N", help: "Rows per repetition.", default: "2000"),
        .timedRuns("repeat", value: "R", "Repetitions", default: 5),
        .option("hash-mib", value: "M", help: "MiB hashed.", default: "256"),
        .option("db", value: "PATH", help: "Append to this audit store (kept, one run per repetition) instead of a temporary one: to measure on a given disk, or to load a real store."),
    ])
    static let discussion = """
        Appends N step attempts (2 KB Korean prompts) to a fresh store in a temporary folder, R
        times, and the same rows with plain INSERTs (no hash chain); verifies the store; hashes
        M MiB with Baton's SHA-256 and with `sha256sum`. Prints medians and ratios.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let rows = try parsed.positiveCount("rows", usage: usage)
        let repetitions = try parsed.positiveCount("repeat", usage: usage)
        let mib = try parsed.positiveCount("hash-mib", usage: usage)
        let folder = try BenchText.scratchFolder("audit")
        defer { try? FileManager.default.removeItem(at: folder) }

        let prompt = String(repeating: "톤: friendly / 제품: 무선 이어폰 / 타깃: 20-30대 직장인\n", count: 32)
        var chained: [Double] = [], plain: [Double] = [], verify: [Double] = []
        for repetition in 0..<repetitions {
            let store = try AuditStore(path: parsed.value("db") ?? folder.appendingPathComponent("chained-\(repetition).db").path)
            let run = try store.startRun(NewRun(workflow: "bench", workflowSource: "baton: 1\n"))
            let now = Date()
            chained.append(try BenchTiming.time {
                for index in 0..<rows {
                    try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "copy", iteration: index, kind: "generate",
                                                              status: .succeeded, prompt: prompt, outputText: prompt,
                                                              tokensIn: 500, tokensOut: 500, startedAt: now, finishedAt: now))
                }
            } / Double(rows))
            try store.finishRun(id: run.id, status: .succeeded)
            verify.append(try BenchTiming.time { _ = try store.verify(run: run.id) } / Double(rows))
            let connection = try Connection(path: folder.appendingPathComponent("plain-\(repetition).db").path)
            try connection.execute("CREATE TABLE t (run_id TEXT, step_id TEXT, iteration INTEGER, kind TEXT, status TEXT, prompt TEXT, output_text TEXT, tokens_in INTEGER, tokens_out INTEGER, started_at TEXT, finished_at TEXT)")
            plain.append(try BenchTiming.time {
                for index in 0..<rows {
                    try connection.transaction {
                        try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                            .text(run.id), "copy", .integer(Int64(index)), "generate", "succeeded", .text(prompt), .text(prompt),
                            500, 500, .text(AuditTime.format(now)), .text(AuditTime.format(now)),
                        ])
                    }
                }
            } / Double(rows))
        }

        let bytes = [UInt8](repeating: 0x5A, count: mib << 20)
        let file = folder.appendingPathComponent("hash.bin")
        try Data(bytes).write(to: file)
        var swiftHash: [Double] = [], coreutils: [Double] = []
        let hasSha256sum = FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")
        for _ in 0..<repetitions {
            swiftHash.append(try BenchTiming.time { _ = try SHA256.hash(fileAt: file.path) })
            if hasSha256sum { coreutils.append(try BenchTiming.time { try runQuietly("/usr/bin/sha256sum", [file.path]) }) }
        }

        let append = BenchTiming.median(chained), insert = BenchTiming.median(plain)
        printOut("audit store, \(rows) rows x \(repetitions), 2 KB prompt and output per row (medians)")
        printOut(TextTable.format([
            ["", "baton", "reference", "ratio"],
            ["append attempt (chained) vs plain INSERT", micro(append), micro(insert), String(format: "%.2fx", append / insert)],
            ["verify, per row", micro(BenchTiming.median(verify)), "-", "-"],
            ["SHA-256 of \(mib) MiB vs sha256sum", mibPerSecond(Double(mib), BenchTiming.median(swiftHash)),
             hasSha256sum ? mibPerSecond(Double(mib), BenchTiming.median(coreutils)) : "(no sha256sum)",
             hasSha256sum ? String(format: "%.2fx", BenchTiming.median(coreutils) / BenchTiming.median(swiftHash)) : "-"],
        ]))
        return 0
    }



    static func micro(_ seconds: Double) -> String { String(format: "%.1f us", seconds * 1e6) }

    static func mibPerSecond(_ mib: Double, _ seconds: Double) -> String { String(format: "%.0f MiB/s", mib / seconds) }

    static func runQuietly(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}

import Audit
import CommandKit

/// `baton audit`: checks on the audit store.
struct AuditCommand: GroupCommand {
    static let name = "audit"
    static let abstract = "Check the audit store's integrity (verify)."
    static let subcommands: [any Command.Type] = [
        AuditVerifyCommand.self,
    ]
}

/// `baton audit verify [RUN]`: recomputes every row's hash and follows each run's chain.
struct AuditVerifyCommand: TableCommand {
    static let abstract = "Verify the hash chains of every run, or of one run."
    static let options = OptionTable("baton audit verify", [
        .positional("RUN", required: false),
        .flag("files", help: "Also check that the files the runs wrote (the latest record of each path, relative paths read from the current folder) still have their SHA-256."),
        .store,
        .flag("json", help: #"{"ok": ..., "runs": N, "rows": M, "integrity": [...], "violations": [...]}."#),
    ])
    static let discussion = """
        Recomputes the hash of every run, step attempt and file row and follows each run's chain,
        so that a row edited, deleted, inserted or reordered behind Baton's back is found and named
        (run, table, chain position, step, iteration, attempt), and runs SQLite's integrity check
        on the file (damaged pages and indexes). The store is opened read-only. Exits 0 when
        everything verifies, 1 when something does not.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count <= 1 else { throw UsageError(message: "unexpected argument '\(parsed.positionals[1])'", usage: usage) }
        let store = try AuditPresentation.openStore(parsed)
        let runID = try parsed.positionals.first.map { try store.resolveRun($0).id }
        var result = try store.verification(run: runID)
        if parsed.flag("files") { result.violations += try store.checkFiles(run: runID) }
        if parsed.flag("json") {
            printOut(OutputJSON.object([
                ("ok", .bool(result.isClean)), ("runs", .int(result.runCount)), ("rows", .int(result.rowCount)),
                ("integrity", .array(result.integrityProblems.map { .string($0) })),
                ("violations", .array(result.violations.map { violation in
                    .object([
                        ("run", .string(violation.runID)), ("table", .string(violation.table)), ("chain_index", .int(violation.chainIndex)),
                        ("step", .string(violation.stepID)), ("iteration", .int(violation.iteration)), ("attempt", .int(violation.attempt)),
                        ("path", .string(violation.path)), ("kind", .string(violation.kind.rawValue)), ("message", .string(violation.message)),
                    ])
                })),
            ]).rendered())
        } else if result.isClean {
            printOut("ok: \(result.runCount) \(result.runCount == 1 ? "run" : "runs"), \(result.rowCount) \(result.rowCount == 1 ? "row" : "rows") verified")
        } else {
            let lines = result.problemLines
            for line in lines { printOut(line) }
            printError("error: audit verify found \(lines.count) \(lines.count == 1 ? "problem" : "problems") in \(result.runCount) \(result.runCount == 1 ? "run" : "runs"), \(result.rowCount) \(result.rowCount == 1 ? "row" : "rows")"
                + (result.integrityProblems.isEmpty ? "" : " (SQLite's integrity check failed: the file is damaged; restore it from a backup)"))
        }
        return result.isClean ? 0 : 1
    }
}

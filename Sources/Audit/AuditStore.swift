import Base
import Foundation
import SQLite

/// The audit store: every run, every finished step attempt and every file written, in SQLite,
/// chained by hashes so that an edited, deleted or reordered row is detected (`verify`).
///
/// One store per process is typical (the engine shares it between concurrent steps); several
/// processes may use the same file at once (WAL, immediate transactions, busy retries).
///
/// `@unchecked Sendable`: the only mutable state is the SQLite connection, and every use of it
/// goes through `locked`, which holds `lock` for the whole call (statements, transactions and the
/// reading of their rows), so no two threads ever touch the connection at once; the other stored
/// properties are constants.
public final class AuditStore: @unchecked Sendable {
    /// Where the store lives when neither `--db` nor `BATON_DB` says otherwise, relative to the
    /// working directory.
    public static let defaultRelativePath = ".baton/baton.db"

    /// The database file.
    public let path: String
    let connection: Connection
    private let lock = NSLock()
    /// The clock for `startedAt`/`finishedAt` defaults and schedule updates (injected in tests).
    let now: @Sendable () -> Date
    /// The process id and host recorded as a new run's runner (another process's in tests).
    let runner: (pid: Int, host: String)

    /// Opens the store at `path` and brings the schema up to date. With `create` (the writing
    /// commands), a path that does not exist yet becomes a new store, built aside and moved into
    /// place whole; the read-only commands pass `create: false` and get `AuditError.noStore`
    /// instead. With `readOnly` (`runs`, `show`, `export`, `audit verify`) the file is opened
    /// read-only, never migrated or written, so a store on read-only media can still be read.
    /// An existing file that is not an intact audit store is refused and left untouched.
    /// `runner` (pid, host) defaults to this process on this host.
    public init(path: String, create: Bool = true, readOnly: Bool = false,
                now: @escaping @Sendable () -> Date = { Date() },
                runner: (pid: Int, host: String)? = nil) throws(AuditError) {
        self.path = path
        self.now = now
        self.runner = runner ?? (HostProcess.currentPID, HostProcess.hostName)
        if path == ":memory:" {
            do {
                connection = try Connection(path: path)
                try connection.migrate(AuditSchema.migrations)
            } catch {
                throw AuditStore.auditError(error)
            }
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard create && !readOnly else { throw .noStore(path: path) }
            try AuditStore.createStore(at: path)
        }
        try Self.checkNotTruncated(path)
        do {
            if readOnly {
                connection = try AuditStore.openReadOnly(path)
                try AuditSchema.checkIdentity(of: connection, path: path)
                try AuditSchema.checkReadable(connection, path: path)
            } else {
                if AuditStore.isOnReadOnlyFileSystem(path) || access(path, W_OK) != 0 { throw AuditError.readOnlyStore(path: path) }
                connection = try Connection(path: path, mode: .readWrite)
                try AuditSchema.checkIdentity(of: connection, path: path)
                try AuditSchema.checkVersion(of: connection, path: path)
                // Migrations 3 and 4 rebuild `runs`: dropping the old table with foreign keys on would trip
                // the references of `step_attempts` (the pragma is ignored inside a transaction).
                try connection.execute("PRAGMA foreign_keys = OFF")
                try connection.migrate(AuditSchema.migrations)
                try connection.execute("PRAGMA foreign_keys = ON")
            }
        } catch let error as SQLiteError where error.primaryCode == 11 || error.primaryCode == 26 {  // SQLITE_CORRUPT, SQLITE_NOTADB
            throw .damagedStore(path: path, reason: "SQLite reports the file damaged (\(error.message)); it may have been truncated or overwritten")
        } catch {
            throw AuditStore.auditError(error)
        }
    }

    /// Refuses an existing file too short to hold an SQLite database (truncated to 0 or 1 byte):
    /// opening it would silently start a new, empty history. Only a path that does not exist
    /// becomes a new store. A file an older Baton is still creating grows past SQLite's 100-byte
    /// header within moments, so a short file is looked at again for up to a second.
    static func checkNotTruncated(_ path: String) throws(AuditError) {
        var size = -1
        for _ in 0..<20 {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let bytes = (attributes[.size] as? NSNumber)?.intValue else { return }
            size = bytes
            if size >= 100 { return }
            usleep(50_000)
        }
        throw .damagedStore(path: path, reason: "the file is \(size) \(size == 1 ? "byte" : "bytes") long, too short for an SQLite database (it was truncated or emptied)")
    }

    /// The store's path for a command: `--db PATH` when given, else `BATON_DB` when set and not
    /// empty, else `.baton/baton.db` in `currentDirectory`.
    public static func resolvePath(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                   currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment["BATON_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return (currentDirectory as NSString).appendingPathComponent(defaultRelativePath)
    }

    /// Runs `body` holding the lock, turning SQLite's errors into `AuditError.database`.
    func locked<T>(_ body: () throws -> T) throws(AuditError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body()
        } catch {
            throw AuditStore.auditError(error)
        }
    }

    /// Any error as an `AuditError` (SQLite's wrapped in `.database`).
    static func auditError(_ error: any Error) -> AuditError {
        switch error {
        case let error as AuditError: return error
        case let error as SQLiteError: return .database(error)
        default: return .database(SQLiteError(code: 1, message: "\(error)"))
        }
    }

    // MARK: Runs

    /// Records a new run as `running`, owned by this process, and returns it. Its immutable fields
    /// are hashed at once: that hash is the first link of the run's chain.
    ///
    /// A resume (`trigger: .resume`) is also a claim on its parent: in the same write transaction
    /// it is refused while another resume of that run is still running or has succeeded, so two
    /// `baton resume` started together cannot both run the unfinished steps.
    public func startRun(_ new: NewRun) throws(AuditError) -> RunRecord {
        try locked { try connection.transaction {
            let startedAt = new.startedAt ?? now()
            if let parent = new.parentRunID, try fetchRun(parent) == nil { throw AuditError.unknownRun(parent) }
            if new.trigger == .resume, let parent = new.parentRunID {
                let children = try connection.query("SELECT * FROM runs WHERE parent_run_id = ? AND trigger = 'resume' ORDER BY started_at, id", [.text(parent)])
                    .map(RunRecord.init(row:))
                if let other = children.first(where: { $0.status == .running || $0.status == .succeeded }) {
                    throw AuditError.alreadyResumed(run: parent, by: other.id, status: other.status,
                                                    runner: "process \(other.pid.map(String.init) ?? "?") on \(other.host ?? "?")")
                }
            }
            var tries = 0
            while true {
                let id = new.id ?? RunID.make(at: startedAt)
                let values: [DatabaseValue] = [
                    .text(id), .text(new.workflow), .text(new.workflowSource), .text(SHA256.hash(new.workflowSource).hex),
                    .text(new.inputsJSON), .text(new.trigger.rawValue), DatabaseValue(new.scheduledFor.map(AuditTime.format)),
                    DatabaseValue(new.parentRunID), .text(AuditTime.format(startedAt)), DatabaseValue(runner.pid),
                    .text(runner.host),
                ]
                let directory = DatabaseValue(new.workflowDirectory)
                let columns = AuditSchema.runHashColumns(workflowDirectory: directory)
                let hash = RowHash.hash(table: "runs", columns: columns, values: Array((values + [directory]).prefix(columns.count)))
                do {
                    try connection.execute(Self.insertRunSQL, values + [directory, .text(hash)])
                } catch let error as SQLiteError where error.code == 1555 && new.id == nil && tries < 5 {  // SQLITE_CONSTRAINT_PRIMARYKEY: id taken
                    tries += 1
                    continue
                }
                guard let run = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                return run
            }
        } }
    }

    private static let insertRunSQL = "INSERT INTO runs (\((AuditSchema.runColumns + ["workflow_dir", "row_hash"]).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: AuditSchema.runColumns.count + 2).joined(separator: ", ")))"

    /// Finishes a run once: stores its status, time and error, and seals its chain (the number of
    /// rows and the last row's hash, hashed with the run's own hash), so that rows removed from
    /// the end or appended later are detected too.
    public func finishRun(id: String, status: RunStatus, error: String? = nil, finishedAt: Date? = nil) throws(AuditError) {
        // A run waiting at a review is not finished: `markWaiting` keeps it open.
        guard status.isFinished, status != .waiting else { throw .notAFinalStatus(status) }
        try locked {
            try connection.transaction {
                guard let run = try fetchRun(id) else { throw AuditError.unknownRun(id) }
                if run.finishHash != nil { throw AuditError.runFinished(id: id, status: run.storedStatus) }
                let tail = try chainTail(runID: id, runHash: run.rowHash)
                let values: [DatabaseValue] = [
                    .text(status.rawValue), .text(AuditTime.format(finishedAt ?? now())), DatabaseValue(error),
                    .integer(Int64(tail.index)), .text(tail.hash),
                ]
                let seal = RowHash.hash(table: "runs.finish", columns: ["row_hash"] + AuditSchema.finishColumns, values: [.text(run.rowHash)] + values)
                try connection.execute("""
                    UPDATE runs SET status = ?, finished_at = ?, error = ?, chain_length = ?, chain_head = ?, finish_hash = ?
                    WHERE id = ?
                    """, values + [.text(seal), .text(id)])
            }
        }
    }

    /// Seals every run that reads `interrupted` (stored as `running`, its process gone from this
    /// host) with status `interrupted` and an error naming the lost process, and returns their
    /// ids. `baton resume` and the scheduler call it so that dead runs stop looking alive.
    @discardableResult
    public func finishInterruptedRuns() throws(AuditError) -> [String] {
        var sealed: [String] = []
        for run in try runs(status: .interrupted) {
            do {
                try finishRun(id: run.id, status: .interrupted,
                              error: "the runner (pid \(run.pid.map(String.init) ?? "?") on \(run.host ?? "?")) stopped before the run finished")
                sealed.append(run.id)
            } catch .runFinished {
                continue  // another process sealed it first
            }
        }
        return sealed
    }

    /// The run with exactly this id, or `nil`.
    public func run(id: String) throws(AuditError) -> RunRecord? {
        try locked { try fetchRun(id) }
    }

    /// The run whose id is `idOrPrefix` or starts with it (`20261129-0215` is enough when unique).
    public func resolveRun(_ idOrPrefix: String) throws(AuditError) -> RunRecord {
        try locked {
            if let run = try fetchRun(idOrPrefix) { return run }
            let escaped = idOrPrefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            let matches = try connection.query("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6", [.text(escaped + "%")])
                .compactMap { $0.string("id") }
            guard let only = matches.first else { throw AuditError.unknownRun(idOrPrefix) }
            guard matches.count == 1 else { throw AuditError.ambiguousRun(prefix: idOrPrefix, matches: matches) }
            guard let run = try fetchRun(only) else { throw AuditError.unknownRun(only) }
            return run
        }
    }

    /// Runs, newest first, optionally of one workflow and with one (shown) status; at most `limit`.
    public func runs(workflow: String? = nil, status: RunStatus? = nil, limit: Int? = nil) throws(AuditError) -> [RunRecord] {
        try locked {
            // `running` and `interrupted` depend on whether the runner is alive, so those two are
            // filtered after reading; the others (and the limit) in SQL.
            let sqlStatuses: [RunStatus]? = switch status {
            case nil: nil
            case .running?, .interrupted?: [.running, .interrupted]
            case let other?: [other]
            }
            var sql = "SELECT * FROM runs WHERE (?1 IS NULL OR workflow = ?1)"
            var arguments: [DatabaseValue] = [DatabaseValue(workflow)]
            if let sqlStatuses {
                sql += " AND status IN (\(sqlStatuses.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
            }
            sql += " ORDER BY started_at DESC, id DESC"
            let filterLater = status == .running || status == .interrupted
            if let limit, !filterLater {
                sql += " LIMIT ?2"
                arguments.append(.integer(Int64(limit)))
            }
            var runs = try connection.query(sql, arguments).map(RunRecord.init(row:))
            if filterLater { runs = runs.filter { $0.status == status } }
            if let limit { runs = Array(runs.prefix(limit)) }
            return runs
        }
    }

    func fetchRun(_ id: String) throws -> RunRecord? {
        try connection.queryOne("SELECT * FROM runs WHERE id = ?", [.text(id)]).map(RunRecord.init(row:))
    }

    /// The position and hash of the last chained row of a run (attempts and files share one
    /// chain); `(0, runHash)` when it has none yet. Two indexed lookups, not a scan.
    func chainTail(runID: String, runHash: String) throws -> (index: Int, hash: String) {
        var tail = (index: 0, hash: runHash)
        for table in ["step_attempts", "files_written"] {
            if let row = try connection.queryOne("SELECT chain_index, row_hash FROM \(table) WHERE run_id = ? ORDER BY chain_index DESC LIMIT 1", [.text(runID)]),
               let index = row.int("chain_index"), index > tail.index {
                tail = (index, row.string("row_hash") ?? "")
            }
        }
        return tail
    }
}

extension RunRecord {
    /// Reads a `runs` row; a `running` run whose runner is gone from this host reads `interrupted`.
    init(row: Row) {
        let stored = RunStatus(rawValue: row.string("status") ?? "") ?? .running
        // A run continued after a review is run by the process that claimed it (migration 5).
        let claimed = row.int("runner_pid") != nil
        let pid = claimed ? row.int("runner_pid") : row.int("pid")
        let host = claimed ? row.string("runner_host") : row.string("host")
        var shown = stored
        if stored == .running, let pid, host == HostProcess.hostName, !HostProcess.isAlive(pid: pid) { shown = .interrupted }
        self.init(
            id: row.string("id") ?? "", workflow: row.string("workflow") ?? "", workflowSource: row.string("workflow_source") ?? "",
            workflowSHA256: row.string("workflow_sha256") ?? "", inputsJSON: row.string("inputs_json") ?? "{}",
            trigger: RunTrigger(rawValue: row.string("trigger") ?? "") ?? .manual,
            scheduledFor: row.string("scheduled_for").flatMap(AuditTime.parse), parentRunID: row.string("parent_run_id"),
            status: shown, storedStatus: stored, startedAt: row.string("started_at").flatMap(AuditTime.parse) ?? Date(timeIntervalSince1970: 0),
            finishedAt: row.string("finished_at").flatMap(AuditTime.parse), error: row.string("error"), pid: pid, host: host,
            rowHash: row.string("row_hash") ?? "", chainLength: row.int("chain_length"), chainHead: row.string("chain_head"),
            finishHash: row.string("finish_hash"), workflowDirectory: row.string("workflow_dir"))
    }
}

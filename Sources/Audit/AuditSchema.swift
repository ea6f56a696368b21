import SQLite

/// The audit store's schema, as numbered migrations (`PRAGMA user_version`), and the column
/// lists that the hash chain covers. See Documentation/Audit.md.
enum AuditSchema {
    static let migrations = [
        Migration(version: 1, name: "runs, step attempts, files, schedule state", sql: version1),
        Migration(version: 2, name: "file digest cache", sql: version2),
        Migration(version: 3, name: "waiting runs and review decisions", sql: version3),
        Migration(version: 4, name: "prompt and chat runs", sql: version4),
        Migration(version: 5, name: "waiting runs continue in place", sql: version5),
        Migration(version: 6, name: "the workflow's folder", sql: version6),
    ]

    /// `PRAGMA application_id` of an audit store ("BAUD"), so that another SQLite file given by
    /// mistake (a knowledge base) is refused instead of having audit tables added to it.
    static let applicationID: Int32 = 0x4241_5544

    /// Refuses a database that holds something other than an audit store: one with another
    /// application id, tables but no audit tables, or no tables at all (an emptied store, or
    /// another program's empty file: Baton builds a new store aside and moves it into place whole,
    /// so it never finds an empty one of its own at a store's path).
    static func checkIdentity(of connection: Connection, path: String) throws {
        let identity = try connection.scalar("PRAGMA application_id").int ?? 0
        if identity == Int(applicationID) { return }
        if identity != 0 { throw AuditError.notAnAuditStore(path: path) }  // another program's file
        let tables = try tableNames(connection)
        if tables.isEmpty {
            throw AuditError.damagedStore(path: path, reason: "it is an SQLite database with no tables (an emptied store, or another program's empty file)")
        }
        if tables.contains("runs") && tables.contains("step_attempts") { return }  // a version 1 store, from before the id
        throw AuditError.notAnAuditStore(path: path)
    }

    /// The tables each schema version has (version n has those of 1...n).
    static let tablesByVersion: [Set<String>] = [
        ["runs", "step_attempts", "files_written", "schedule_state"],
        ["file_digests"],
    ]

    /// Checks that `PRAGMA user_version` agrees with the tables present, so a damaged version
    /// number is reported as such instead of re-running a migration over existing tables.
    static func checkVersion(of connection: Connection, path: String) throws {
        let version = try connection.userVersion()
        let tables = try tableNames(connection)
        func damaged(_ why: String) -> AuditError {
            .damagedStore(path: path, reason: "its schema version (PRAGMA user_version) reads \(version), but \(why); the version number was damaged")
        }
        if version < 0 { throw damaged("no program writes a negative version") }
        if version > migrations.count { return }  // newer than this program: `migrate` says so
        let expected = tablesByVersion.prefix(version).reduce(into: Set<String>()) { $0.formUnion($1) }
        let missing = expected.subtracting(tables).sorted()
        if !missing.isEmpty {
            throw damaged("the \(missing.count == 1 ? "table" : "tables") \(missing.joined(separator: ", ")) of that version \(missing.count == 1 ? "is" : "are") missing")
        }
        let later = tablesByVersion.dropFirst(version).reduce(into: Set<String>()) { $0.formUnion($1) }.intersection(tables).sorted()
        if !later.isEmpty {
            throw damaged("it already holds \(later.joined(separator: ", ")) of a later version")
        }
    }

    /// For a store opened read-only (never migrated): the version must be one this program can
    /// read, with its tables present.
    static func checkReadable(_ connection: Connection, path: String) throws {
        try checkVersion(of: connection, path: path)
        let version = try connection.userVersion()
        if version > migrations.count {
            throw SQLiteError(code: 1, message: "database '\(path)' has schema version \(version), newer than this program's \(migrations.count)")
        }
    }

    static func tableNames(_ connection: Connection) throws -> Set<String> {
        Set(try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").compactMap { $0.string("name") })
    }

    /// Columns of `runs` fixed when the run starts; their hash (`row_hash`) opens the chain.
    static let runColumns = [
        "id", "workflow", "workflow_source", "workflow_sha256", "inputs_json", "trigger", "scheduled_for",
        "parent_run_id", "started_at", "pid", "host",
    ]

    /// The columns a run's `row_hash` covers: `runColumns`, and `workflow_dir` when the row has
    /// one (migration 6). A row without it (every run an older Baton started, prompt and chat
    /// runs) hashes exactly as before, so old stores verify unchanged; a folder added to such a
    /// row later, or removed from a row that had one, no longer matches the hash.
    static func runHashColumns(workflowDirectory: DatabaseValue) -> [String] {
        workflowDirectory == .null ? runColumns : runColumns + ["workflow_dir"]
    }

    /// Columns of `runs` written once when the run finishes; sealed by `finish_hash`.
    static let finishColumns = ["status", "finished_at", "error", "chain_length", "chain_head"]

    /// Columns of `step_attempts` covered by `row_hash` (all but `seq` and `row_hash` itself).
    static let attemptColumns = [
        "run_id", "chain_index", "step_id", "iteration", "attempt", "kind", "status", "model", "parameters_json",
        "prompt", "output_text", "output_json", "tokens_in", "tokens_out", "latency_ms", "started_at",
        "finished_at", "error", "extra_json", "prev_hash",
    ]

    /// Columns of `files_written` covered by `row_hash`.
    static let fileColumns = ["run_id", "chain_index", "step_id", "path", "sha256", "bytes", "written_at", "prev_hash"]

    /// Columns of `reviews` covered by `row_hash` (all but `seq` and `row_hash` itself).
    static let reviewColumns = [
        "run_id", "step_id", "round", "event", "reviewer", "note", "shown_text", "before_text", "after_text",
        "details_json", "recorded_at", "prev_hash",
    ]

    /// The `runs` table named `name`, admitting `triggers` and `statuses`: written once for
    /// migration 1 and for every rebuild, so the columns cannot drift apart.
    private static func runsTable(_ name: String, triggers: [String], statuses: [String]) -> String {
        """
        CREATE TABLE \(name) (
            id              TEXT PRIMARY KEY NOT NULL,
            workflow        TEXT NOT NULL,
            workflow_source TEXT NOT NULL,
            workflow_sha256 TEXT NOT NULL,
            inputs_json     TEXT NOT NULL CHECK (json_valid(inputs_json)),
            trigger         TEXT NOT NULL CHECK (trigger IN (\(quoted(triggers)))),
            scheduled_for   TEXT,
            parent_run_id   TEXT REFERENCES runs (id),
            started_at      TEXT NOT NULL,
            pid             INTEGER,
            host            TEXT,
            row_hash        TEXT NOT NULL,
            status          TEXT NOT NULL DEFAULT 'running'
                            CHECK (status IN (\(quoted(statuses)))),
            finished_at     TEXT,
            error           TEXT,
            chain_length    INTEGER,
            chain_head      TEXT,
            finish_hash     TEXT
        ) STRICT;
        """
    }

    /// `'a', 'b'`: the values of an SQL `IN` list.
    private static func quoted(_ values: [String]) -> String {
        values.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// The triggers that keep `runs` rows from being deleted, their recorded fields from changing
    /// and a finished run from being touched again (created by migration 1, again by each rebuild).
    private static let runsProtection = """
        CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
        BEGIN SELECT RAISE(ABORT, 'audit: runs are never deleted'); END;
        CREATE TRIGGER runs_fixed_fields BEFORE UPDATE OF
            id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
            parent_run_id, started_at, pid, host, row_hash ON runs
        BEGIN SELECT RAISE(ABORT, 'audit: a run''s recorded fields never change'); END;
        CREATE TRIGGER runs_finish_once BEFORE UPDATE ON runs WHEN OLD.finish_hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'audit: a finished run is sealed'); END;
        """

    /// The indexes migration 1 made on `runs`.
    private static let runsIndexes = """
        CREATE INDEX runs_by_start ON runs (started_at);
        CREATE INDEX runs_by_workflow ON runs (workflow, started_at);
        CREATE INDEX runs_by_parent ON runs (parent_run_id);
        """

    /// The SQL that rebuilds `runs` as version `version` with `triggers` admitted (SQLite cannot
    /// alter a CHECK constraint): the same columns, indexes and protection triggers, the rows and
    /// their hashes copied unchanged, and migration 3's `waiting` status. The store turns foreign
    /// keys off while migrating.
    private static func rebuildRuns(version: Int, triggers: [String]) -> String {
        """
        \(runsTable("runs_v\(version)", triggers: triggers, statuses: ["running", "succeeded", "failed", "cancelled", "interrupted", "waiting"]))
        INSERT INTO runs_v\(version) (id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
            parent_run_id, started_at, pid, host, row_hash, status, finished_at, error, chain_length, chain_head, finish_hash)
        SELECT id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
            parent_run_id, started_at, pid, host, row_hash, status, finished_at, error, chain_length, chain_head, finish_hash
        FROM runs;
        DROP TABLE runs;
        ALTER TABLE runs_v\(version) RENAME TO runs;
        \(runsIndexes)
        CREATE INDEX runs_by_status ON runs (status, started_at);
        \(runsProtection)
        """
    }

    /// A run may stop at a review step (`waiting`), and every review request and decision is a row
    /// of `reviews`, chained by hashes in insertion order; `runs` is rebuilt for the new status.
    private static let version3 = rebuildRuns(version: 3, triggers: ["manual", "schedule", "resume"]) + """

        CREATE TABLE reviews (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id          TEXT NOT NULL REFERENCES runs (id),
            step_id         TEXT NOT NULL,
            round           INTEGER NOT NULL,
            event           TEXT NOT NULL CHECK (event IN ('requested', 'approved', 'edited', 'rejected')),
            reviewer        TEXT,
            note            TEXT,
            shown_text      TEXT NOT NULL,
            before_text     TEXT,
            after_text      TEXT,
            details_json    TEXT CHECK (details_json IS NULL OR json_valid(details_json)),
            recorded_at     TEXT NOT NULL,
            prev_hash       TEXT NOT NULL,
            row_hash        TEXT NOT NULL
        ) STRICT;
        CREATE INDEX reviews_by_run ON reviews (run_id, step_id, round);
        CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'audit: review decisions are append-only'); END;
        CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'audit: review decisions are append-only'); END;
        """

    /// `baton prompt` and `baton chat` record their turns as runs with the triggers `prompt` and
    /// `chat`: `runs` is rebuilt again, keeping migration 3's `waiting` status and index.
    private static let version4 = rebuildRuns(version: 4, triggers: ["manual", "schedule", "resume", "prompt", "chat"])

    /// A run that stops at a review step stays open (`waiting`, not sealed) and is continued in
    /// place: whoever continues it claims it and records itself as its runner (`runner_pid`,
    /// `runner_host`: not hashed, since the runner changes; `pid` and `host` stay the starter's).
    /// Waiting runs an older Baton sealed and nobody resumed yet are reopened, so they too continue
    /// in place; their row hashes are untouched. (A later rebuild of `runs` must keep the two
    /// columns: `rebuildRuns` is migrations 3 and 4's, before they existed.)
    private static let version5 = """
        ALTER TABLE runs ADD COLUMN runner_pid INTEGER;
        ALTER TABLE runs ADD COLUMN runner_host TEXT;
        DROP TRIGGER runs_finish_once;
        UPDATE runs SET finished_at = NULL, error = NULL, chain_length = NULL, chain_head = NULL, finish_hash = NULL
        WHERE status = 'waiting'
          AND id NOT IN (SELECT parent_run_id FROM runs WHERE trigger = 'resume' AND parent_run_id IS NOT NULL);
        CREATE TRIGGER runs_finish_once BEFORE UPDATE ON runs WHEN OLD.finish_hash IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'audit: a finished run is sealed'); END;
        """

    /// Where the workflow file lay when the run started (`workflow_dir`, absolute), so that
    /// `baton resume`, `baton rerun` and whoever continues a waiting run resolve the workflow's
    /// relative paths (`read` globs, knowledge databases, local models) as the first run did,
    /// from any working directory. NULL for runs an older Baton started and for prompt and chat
    /// runs. Hashed into `row_hash` only when present (`runHashColumns`), and fixed like the
    /// other recorded fields.
    private static let version6 = """
        ALTER TABLE runs ADD COLUMN workflow_dir TEXT;
        DROP TRIGGER runs_fixed_fields;
        CREATE TRIGGER runs_fixed_fields BEFORE UPDATE OF
            id, workflow, workflow_source, workflow_sha256, inputs_json, trigger, scheduled_for,
            parent_run_id, started_at, pid, host, workflow_dir, row_hash ON runs
        BEGIN SELECT RAISE(ABORT, 'audit: a run''s recorded fields never change'); END;
        """

    /// SHA-256s of large files (model weights) keyed by what changes when the file does, so a
    /// multi-gigabyte GGUF is hashed once, not on every run. A cache: rows are replaced freely
    /// and are not part of any hash chain.
    private static let version2 = """
        PRAGMA application_id = \(applicationID);
        CREATE TABLE file_digests (
            path            TEXT PRIMARY KEY NOT NULL,
            size            INTEGER NOT NULL,
            modified        REAL NOT NULL,
            inode           INTEGER NOT NULL,
            sha256          TEXT NOT NULL,
            computed_at     TEXT NOT NULL
        ) STRICT;
        """

    private static let version1 = """
        \(runsTable("runs", triggers: ["manual", "schedule", "resume"], statuses: ["running", "succeeded", "failed", "cancelled", "interrupted"]))
        \(runsIndexes)

        CREATE TABLE step_attempts (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id          TEXT NOT NULL REFERENCES runs (id),
            chain_index     INTEGER NOT NULL,
            step_id         TEXT NOT NULL,
            iteration       INTEGER,
            attempt         INTEGER NOT NULL,
            kind            TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped', 'cancelled')),
            model           TEXT,
            parameters_json TEXT CHECK (parameters_json IS NULL OR json_valid(parameters_json)),
            prompt          TEXT,
            output_text     TEXT,
            output_json     TEXT CHECK (output_json IS NULL OR json_valid(output_json)),
            tokens_in       INTEGER,
            tokens_out      INTEGER,
            latency_ms      INTEGER,
            started_at      TEXT NOT NULL,
            finished_at     TEXT NOT NULL,
            error           TEXT,
            extra_json      TEXT CHECK (extra_json IS NULL OR json_valid(extra_json)),
            prev_hash       TEXT NOT NULL,
            row_hash        TEXT NOT NULL,
            UNIQUE (run_id, chain_index)
        ) STRICT;
        CREATE INDEX step_attempts_by_step ON step_attempts (run_id, step_id, iteration, attempt);

        CREATE TABLE files_written (
            seq             INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id          TEXT NOT NULL REFERENCES runs (id),
            chain_index     INTEGER NOT NULL,
            step_id         TEXT,
            path            TEXT NOT NULL,
            sha256          TEXT NOT NULL,
            bytes           INTEGER NOT NULL,
            written_at      TEXT NOT NULL,
            prev_hash       TEXT NOT NULL,
            row_hash        TEXT NOT NULL,
            UNIQUE (run_id, chain_index)
        ) STRICT;

        CREATE TABLE schedule_state (
            schedule_key    TEXT PRIMARY KEY NOT NULL,
            last_fire       TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        ) STRICT;

        CREATE TRIGGER step_attempts_no_update BEFORE UPDATE ON step_attempts
        BEGIN SELECT RAISE(ABORT, 'audit: step attempts are append-only'); END;
        CREATE TRIGGER step_attempts_no_delete BEFORE DELETE ON step_attempts
        BEGIN SELECT RAISE(ABORT, 'audit: step attempts are append-only'); END;
        CREATE TRIGGER files_written_no_update BEFORE UPDATE ON files_written
        BEGIN SELECT RAISE(ABORT, 'audit: file records are append-only'); END;
        CREATE TRIGGER files_written_no_delete BEFORE DELETE ON files_written
        BEGIN SELECT RAISE(ABORT, 'audit: file records are append-only'); END;
        \(runsProtection)
        """
}

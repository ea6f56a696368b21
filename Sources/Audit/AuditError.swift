import SQLite

/// What can go wrong with the audit store, with the run, path or SQL involved.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No database at the path (the read-only commands do not create one).
    case noStore(path: String)
    case unknownRun(String)
    /// A run id prefix that matches several runs.
    case ambiguousRun(prefix: String, matches: [String])
    /// Appending to or finishing a run that has already finished.
    case runFinished(id: String, status: RunStatus)
    /// A run cannot be finished as `running`.
    case notAFinalStatus(RunStatus)
    case cannotCreateDirectory(path: String, reason: String)
    /// A command that writes was given a store it cannot write (read-only file system or file).
    case readOnlyStore(path: String)
    /// Another resume of the run is still going, or already succeeded.
    case alreadyResumed(run: String, by: String, status: RunStatus, runner: String)
    /// The new store could not be moved into place.
    case cannotCreateStore(path: String, reason: String)
    /// The file is an SQLite database, but not an audit store.
    case notAnAuditStore(path: String)
    /// The file exists but cannot be an audit store (it lost its contents); left untouched.
    case damagedStore(path: String, reason: String)
    case database(SQLiteError)
    /// Continuing a run in place needs it `waiting`: it is already being continued (`running`,
    /// with its runner), has finished, or never stopped at a review.
    case notWaiting(run: String, status: RunStatus, runner: String)
    /// A review decision for a step that has no open request (none made, or already decided).
    case reviewNotOpen(run: String, step: String, reason: String)

    public var description: String {
        switch self {
        case .noStore(let path):
            return "no audit store at '\(path)' (run a workflow first, or pass --db PATH or set BATON_DB)"
        case .unknownRun(let id):
            return "no run '\(id)' in the audit store"
        case .ambiguousRun(let prefix, let matches):
            return "run id '\(prefix)' is ambiguous: it matches \(matches.joined(separator: ", "))"
        case .runFinished(let id, let status):
            return "run '\(id)' has already finished (\(status.rawValue)); its audit trail is sealed"
        case .notAFinalStatus(let status):
            return "a run cannot finish with status '\(status.rawValue)'"
        case .cannotCreateDirectory(let path, let reason):
            return "cannot create the audit store's folder '\(path)': \(reason)"
        case .readOnlyStore(let path):
            return "the audit store '\(path)' is read-only (a read-only file system, or a file you may not write); runs, show, export and audit verify can read it, but this command records runs and needs a writable store (give another with --db)"
        case .alreadyResumed(let run, let other, let status, let runner):
            return status == .running
                ? "run '\(run)' is already being resumed by run '\(other)' (\(runner)); wait for it to finish"
                : "run '\(run)' was already resumed by run '\(other)', which \(status.rawValue); nothing is left to resume"
        case .cannotCreateStore(let path, let reason):
            return "cannot create the audit store '\(path)': \(reason)"
        case .notAnAuditStore(let path):
            return "'\(path)' is not a Baton audit store (it holds other tables); give the audit store's path with --db"
        case .damagedStore(let path, let reason):
            return "'\(path)' is not a usable audit store: \(reason); it was left untouched (restore it from a backup, or give another path with --db)"
        case .database(let error):
            return "audit store: \(error)"
        case .notWaiting(let run, let status, let runner):
            return status == .running
                ? "run '\(run)' is already being continued (\(runner)); wait for it to finish"
                : "run '\(run)' is \(status.rawValue), not waiting for a review; nothing to continue in place"
        case .reviewNotOpen(let run, let step, let reason):
            return "run '\(run)' has no open review of step '\(step)': \(reason)"
        }
    }
}

import CSQLite

/// How a transaction takes its locks.
public enum TransactionKind: String, Sendable {
    /// Takes locks when first needed; fine for reads.
    case deferred = "DEFERRED"
    /// Takes the write lock at `BEGIN`, so a write never fails half-way with `SQLITE_BUSY`.
    case immediate = "IMMEDIATE"
    /// Like immediate (in WAL mode the two are the same).
    case exclusive = "EXCLUSIVE"
}

extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws (and
    /// rethrows). Inside another transaction it becomes a savepoint, so helpers can nest.
    ///
    /// The default, `.immediate`, takes the write lock up front, retrying while another process
    /// holds it, so two processes writing the same file both succeed.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            defer { savepointDepth -= 1 }
            let name = "baton_savepoint_\(savepointDepth)"
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                try? execute("ROLLBACK TO \(name)")
                try? execute("RELEASE \(name)")
                throw error
            }
        }
        try retryingWhileBusy { () throws(SQLiteError) in try execute("BEGIN \(kind.rawValue)") }
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }
}

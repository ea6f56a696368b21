/// One numbered schema change. Version `n` is applied once, to a database whose
/// `PRAGMA user_version` is below `n`, and leaves it at `n`.
public struct Migration: Sendable, Equatable {
    /// 1, 2, 3, ... with no gaps.
    public var version: Int
    /// A short name for errors and logs.
    public var name: String
    /// The SQL script (several statements allowed).
    public var sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension Connection {
    /// The schema version stored in the file (`PRAGMA user_version`).
    public func userVersion() throws(SQLiteError) -> Int {
        try scalar("PRAGMA user_version").int ?? 0
    }

    /// Brings the schema up to the newest of `migrations`, applying the missing ones in order in
    /// one immediate transaction (all or nothing; two processes migrating at once serialize and
    /// the second finds nothing left to do).
    ///
    /// Throws when the versions are not 1...n in order, or when the file is newer than this code
    /// knows (a downgrade would misread it).
    public func migrate(_ migrations: [Migration]) throws {
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw SQLiteError(code: 1, message: "migration '\(migration.name)' has version \(migration.version), expected \(offset + 1)")
        }
        let newest = migrations.count
        if try userVersion() == newest { return }
        try transaction(.immediate) {
            let current = try userVersion()
            if current < 0 {
                throw SQLiteError(code: 1, message: "database '\(path)' has schema version \(current) (PRAGMA user_version), which no program writes; the file was damaged")
            }
            if current > newest {
                throw SQLiteError(code: 1, message: "database '\(path)' has schema version \(current), newer than this program's \(newest)")
            }
            for migration in migrations where migration.version > current {
                do {
                    try executeScript(migration.sql)
                } catch let error as SQLiteError {
                    // The script is long and says nothing to the user; the migration's name does.
                    throw SQLiteError(code: error.code, message: "migration \(migration.version) '\(migration.name)' failed: \(error.message)")
                }
                try execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}

import Foundation
import Base
import SQLite

extension AuditStore {
    /// Creates a new, complete store at `path`, which does not exist: the schema is built in a
    /// temporary file beside it and then hard-linked into place, which fails if another process
    /// got there first (its store is then used). So a file at a store's path is always a whole
    /// store, never an empty database half-way through creation, and an empty SQLite file found
    /// there can be refused as damaged rather than mistaken for a store being born.
    static func createStore(at path: String) throws(AuditError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreateDirectory(path: folder, reason: SystemErrorText.describe(error))
            }
        }
        // Short, bounded name: the store's own name may already be near the 255-byte limit.
        let name = ".baton-new-\(UUID().uuidString.prefix(8)).db"
        let temporary = folder.isEmpty ? name : (folder as NSString).appendingPathComponent(name)
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
        }
        do {
            let connection = try Connection(path: temporary, mode: .readWriteCreate)
            try connection.execute("PRAGMA foreign_keys = OFF")  // as in `init`: migration 3 rebuilds `runs`
            try connection.migrate(AuditSchema.migrations)
            _ = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
        } catch {
            throw auditError(error)
        }
        // The connection is closed: the WAL was folded into the file, which is now complete.
        if link(temporary, path) != 0 {
            let code = errno
            if code == EEXIST { return }  // another process created it first
            // A file system without hard links: move it, unless a store appeared meanwhile.
            if FileManager.default.fileExists(atPath: path) { return }
            if rename(temporary, path) != 0 {
                throw .cannotCreateStore(path: path, reason: String(cString: strerror(errno)) + " (link: \(String(cString: strerror(code))))")
            }
        }
    }

    /// Opens an existing store without writing to it: first as an ordinary read-only reader
    /// (which sees other processes' commits), and on a read-only file system, where SQLite
    /// cannot create the `-shm` file a WAL reader needs, as an immutable file.
    static func openReadOnly(_ path: String) throws -> Connection {
        let mode: Connection.Mode = isOnReadOnlyFileSystem(path) ? .immutable : .readOnly
        let connection = try Connection(path: path, mode: mode)
        _ = try connection.scalar("SELECT count(*) FROM sqlite_master")  // fails here when the file cannot be read
        return connection
    }

    /// Whether the file system holding `path` is mounted read-only (`statvfs`), so nobody can
    /// change the file while it is read and SQLite may treat it as immutable.
    static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return false }
        return info.f_flag & UInt(ST_RDONLY) != 0
    }
}

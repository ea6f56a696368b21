import Base
import Foundation
import SQLite

extension AuditStore {
    /// The SHA-256 of the file at `path` (lowercase hex), from the store's cache when the file's
    /// size, modification time and inode are unchanged since it was last hashed, else computed
    /// and remembered. For model identities (`gguf:sha256:<hex>`): a large GGUF is read once,
    /// not on every run. Hashing happens outside the store's lock.
    public func cachedSHA256(ofFileAt path: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let attributes = try FileManager.default.attributesOfItem(atPath: absolute)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.int64Value ?? 0
        let key: [DatabaseValue] = [.text(absolute), .integer(size), .real(modified), .integer(inode)]
        let cached = try locked {
            try connection.scalar("SELECT sha256 FROM file_digests WHERE path = ? AND size = ? AND modified = ? AND inode = ?", key).string
        }
        if let cached { return cached }
        let digest = try SHA256.hash(fileAt: absolute).hex
        try locked {
            try connection.execute("""
                INSERT INTO file_digests (path, size, modified, inode, sha256, computed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (path) DO UPDATE SET size = ?2, modified = ?3, inode = ?4, sha256 = ?5, computed_at = ?6
                """, key + [.text(digest), .text(AuditTime.format(now()))])
        }
        return digest
    }
}

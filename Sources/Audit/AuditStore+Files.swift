import Base
import Foundation
import SQLite

extension AuditStore {
    /// Compares the files runs wrote with what is on disk now: for each path, the latest record
    /// (a later run may have rewritten the file) must still have its recorded SHA-256. With `run`,
    /// only the paths whose latest record is that run's. Relative paths are read from `directory`
    /// (where `baton run` ran). Hashing happens outside the lock.
    public func checkFiles(run runID: String? = nil,
                           relativeTo directory: String = FileManager.default.currentDirectoryPath) throws(AuditError) -> [AuditViolation] {
        let records = try locked {
            if let runID, try fetchRun(runID) == nil { throw AuditError.unknownRun(runID) }
            return try connection.query("SELECT * FROM files_written ORDER BY written_at, seq").map(FileRecord.init(row:))
        }
        var latest: [String: FileRecord] = [:]
        var order: [String] = []
        for record in records {
            if latest.updateValue(record, forKey: record.path) == nil { order.append(record.path) }
        }
        var found: [AuditViolation] = []
        for path in order {
            guard let record = latest[path], runID == nil || record.runID == runID else { continue }
            let absolute = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
            func violation(_ kind: AuditViolation.Kind, _ message: String) -> AuditViolation {
                AuditViolation(kind: kind, runID: record.runID, table: "files_written", chainIndex: record.chainIndex,
                               stepID: record.stepID, path: record.path, message: message)
            }
            guard FileManager.default.fileExists(atPath: absolute) else {
                found.append(violation(.fileMissing, "the file is no longer on disk"))
                continue
            }
            let digest = (try? SHA256.hash(fileAt: absolute).hex) ?? "unreadable"
            if digest != record.sha256 {
                found.append(violation(.fileChanged, "the file on disk is not what the run wrote (sha256 \(digest), recorded \(record.sha256))"))
            }
        }
        return found
    }
}

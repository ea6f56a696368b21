import Base
import Foundation

/// A file a run wrote (a step's or the workflow's `files:`), with the hash of what was written.
public struct FileRecord: Sendable, Equatable {
    public var runID: String
    /// The step that wrote it; `nil` for the workflow's own `outputs.files`.
    public var stepID: String?
    /// The path as written (relative to the working directory when it was given so).
    public var path: String
    /// SHA-256 of the bytes written, lowercase hex.
    public var sha256: String
    public var bytes: Int
    public var writtenAt: Date

    /// Position in the run's hash chain and the links, set by the store.
    public internal(set) var chainIndex: Int?
    public internal(set) var prevHash: String?
    public internal(set) var rowHash: String?
    public internal(set) var sequence: Int?

    public init(runID: String, stepID: String?, path: String, sha256: String, bytes: Int, writtenAt: Date) {
        self.runID = runID
        self.stepID = stepID
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
        self.writtenAt = writtenAt
    }

    /// A record for `contents` written to `path`, hashing them.
    public init(runID: String, stepID: String?, path: String, contents: some Collection<UInt8>, writtenAt: Date) {
        self.init(runID: runID, stepID: stepID, path: path, sha256: SHA256.hash(contents).hex, bytes: contents.count, writtenAt: writtenAt)
    }
}

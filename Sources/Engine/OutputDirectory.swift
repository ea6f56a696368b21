import Foundation
import Providers

/// The folder a run writes its files into (`--out DIR`, default `out/`), and the only place it
/// may write: a templated path is checked before anything touches the disk.
public struct OutputDirectory: Sendable, Equatable {
    /// The folder, absolute and standardized.
    public let root: URL

    public init(_ path: String, relativeTo base: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        root = url.standardizedFileURL
    }

    /// Why a path was refused.
    public struct PathError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "refused to write '\(path)': \(reason)" }
    }

    /// The file `relative` names inside the folder; absolute paths, `..` parts and empty names
    /// are refused, since a template filled from model output or a CSV row must not be able to
    /// write outside the folder the user chose.
    public func resolve(_ relative: String) throws(PathError) -> URL {
        let trimmed = relative.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PathError(path: relative, reason: "the path is empty") }
        guard !trimmed.hasPrefix("/"), !trimmed.hasPrefix("~") else {
            throw PathError(path: relative, reason: "absolute paths are not allowed; paths are relative to the output folder \(root.path)")
        }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains("..") else {
            throw PathError(path: relative, reason: "'..' is not allowed; files stay inside the output folder \(root.path)")
        }
        guard !trimmed.hasSuffix("/"), !parts.isEmpty, parts.last != "." else {
            throw PathError(path: relative, reason: "the path names a folder, not a file")
        }
        guard !trimmed.contains("\0") else { throw PathError(path: relative, reason: "the path contains a NUL character") }
        let url = parts.filter { $0 != "." }.reduce(root) { $0.appendingPathComponent(String($1)) }
        guard url.standardizedFileURL.path.hasPrefix(root.path + "/") else {
            throw PathError(path: relative, reason: "the path leaves the output folder \(root.path)")
        }
        return url
    }

    /// Writes `contents` atomically: to a temporary file in the same folder, then renamed over
    /// the target, so a reader (or a killed run) never sees half a file. Returns the final URL.
    @discardableResult
    public func write(_ contents: Data, to relative: String) throws -> URL {
        let url = try resolve(relative)
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try contents.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
        return url
    }
}

import Foundation
import Providers

/// The folder a run writes its files into (`--out DIR`, default `out/`), and the only place it
/// may write: a templated path is checked before anything touches the disk, and the folders below
/// the root are walked by descriptor without following links, so a symbolic link planted inside
/// the folder (`link -> ../outside`) cannot lead a write out of it.
public struct OutputDirectory: Sendable, Equatable {
    /// The folder, absolute and standardized. It may itself be a link: the user chose it.
    public let root: URL

    /// The most bytes a file or folder name can have on the file systems Baton writes to.
    public static let nameLimit = 255

    public init(_ path: String, relativeTo base: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        root = url.standardizedFileURL
    }

    /// Why a path was refused (`refused`) or could not be written.
    public struct PathError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        /// True when Baton refused the path itself; false when the file system failed the write.
        public var refused: Bool = true
        public var description: String { refused ? "refused to write '\(path)': \(reason)" : "cannot write '\(path)' \(reason)" }
    }

    /// The file `relative` names inside the folder; absolute paths, `..` parts, empty names and
    /// names over 255 bytes are refused, since a template filled from model output or a CSV row
    /// must not be able to write outside the folder the user chose.
    public func resolve(_ relative: String) throws(PathError) -> URL {
        let url = try components(relative).reduce(root) { $0.appendingPathComponent($1) }
        guard url.standardizedFileURL.path.hasPrefix(root.path + "/") else {
            throw PathError(path: relative, reason: "the path leaves the output folder \(root.path)")
        }
        return url
    }

    /// The names of `relative`'s parts, without `.` parts, each checked.
    func components(_ relative: String) throws(PathError) -> [String] {
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
        let names = parts.filter { $0 != "." }.map(String.init)
        if let long = names.first(where: { $0.utf8.count > Self.nameLimit }) {
            throw PathError(path: relative, reason: "the name '\(long)' is \(long.utf8.count) bytes long; a file or folder name can have at most \(Self.nameLimit)")
        }
        return names
    }

    /// Writes `contents` atomically: to a temporary file in the same folder, then renamed over
    /// the target, so a reader (or a killed run) never sees half a file. Returns the final URL.
    ///
    /// Each folder below the root is created and opened relative to its parent's descriptor with
    /// `O_NOFOLLOW`, so a link anywhere on the way is refused before anything is created through
    /// it; the rename replaces a link in the file's own place rather than writing through it. The
    /// temporary file is removed on every failure path, and its name (`.baton-XXXX.tmp`) does not
    /// grow with the target's.
    @discardableResult
    public func write(_ contents: Data, to relative: String) throws(PathError) -> URL {
        let url = try resolve(relative)
        let names = try components(relative)
        let failed = { (reason: String) in PathError(path: relative, reason: "in the output folder \(root.path): \(reason)", refused: false) }
        var folder = try openRoot(failed)
        defer { close(folder) }
        for (index, name) in names.dropLast().enumerated() {
            let shown = names[...index].joined(separator: "/")
            if mkdirat(folder, name, 0o777) != 0, errno != EEXIST {
                throw failed("cannot create the folder '\(shown)': \(Self.reason(errno))")
            }
            let next = openat(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                let code = errno
                if code == ELOOP || isLink(name, in: folder) {
                    throw PathError(path: relative, reason: "'\(shown)' inside the output folder \(root.path) is a symbolic link; files are written only into real folders there")
                }
                throw failed(code == ENOTDIR ? "'\(shown)' is a file, not a folder" : "cannot open the folder '\(shown)': \(Self.reason(code))")
            }
            close(folder)
            folder = next
        }
        guard let name = names.last else { throw PathError(path: relative, reason: "the path names a folder, not a file") }
        try writeAtomically(contents, name: name, in: folder, failed)
        return url
    }

    /// The root folder, created with its parents when missing, opened for `openat`.
    private func openRoot(_ failed: (String) -> PathError) throws(PathError) -> Int32 {
        var prefix = ""
        for part in root.path.split(separator: "/") {
            prefix += "/" + part
            var status = stat()
            if stat(prefix, &status) == 0 { continue }
            if mkdir(prefix, 0o777) != 0, errno != EEXIST {
                throw failed("cannot create the output folder: \(Self.reason(errno))")
            }
        }
        let descriptor = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failed("cannot open the output folder: \(Self.reason(errno))") }
        return descriptor
    }

    /// Writes a temporary file next to `name` in `folder` and renames it into place; removes it
    /// on any failure.
    private func writeAtomically(_ contents: Data, name: String, in folder: Int32, _ failed: (String) -> PathError) throws(PathError) {
        var status = stat()
        if fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw failed("a folder of that name is in the way")
        }
        let temporary = ".baton-\(String(UInt64.random(in: 0...UInt64.max), radix: 16)).tmp"
        let file = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard file >= 0 else { throw failed(Self.reason(errno)) }
        var code: Int32 = 0
        contents.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count, let start = bytes.baseAddress {
                let written = posixWrite(file, start + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    code = errno
                    return
                }
                offset += written
            }
        }
        if close(file) != 0, code == 0 { code = errno }
        if code == 0, renameat(folder, temporary, folder, name) != 0 { code = errno }
        if code != 0 {
            unlinkat(folder, temporary, 0)
            throw failed(code == EISDIR ? "a folder of that name is in the way" : Self.reason(code))
        }
    }

    /// Whether `name` in `folder` is a symbolic link.
    private func isLink(_ name: String, in folder: Int32) -> Bool {
        var status = stat()
        return fstatat(folder, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// An `errno` in words.
    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC: "no space left on the device"
        case EDQUOT: "the disk quota is used up"
        case EFBIG: "the file is larger than this file system (or a limit) allows"
        case EACCES, EPERM: "permission denied"
        case EROFS: "the file system is read-only"
        case ENAMETOOLONG: "the name is too long for this file system"
        case EIO: "an input/output error (the disk may be failing)"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}

/// `write(2)`, named apart from `OutputDirectory.write`.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

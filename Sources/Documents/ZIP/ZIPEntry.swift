/// One file of a ZIP archive as its central directory describes it (APPNOTE 4.3.12), with the
/// ZIP64 extra field already applied.
public struct ZIPEntry: Sendable, Equatable {
    /// The name exactly as stored (`/` separated). Only ever a lookup key: never joined to a path.
    public var name: String
    /// 0 stored, 8 deflated.
    public var method: UInt16
    /// General purpose flags: bit 0 encrypted, bit 3 sizes in a data descriptor.
    public var flags: UInt16
    public var crc32: UInt32
    public var compressedSize: Int
    public var uncompressedSize: Int
    /// Where the entry's local header starts.
    public var localHeaderOffset: Int

    /// Whether the name could escape a folder if it were used as a path (`..`, an absolute path,
    /// a drive letter or a backslash): such entries are listed but never read as parts.
    public var hasUnsafeName: Bool {
        if name.hasPrefix("/") || name.contains("\\") || name.contains("\0") { return true }
        if name.count >= 2, name.dropFirst().first == ":" { return true }
        return name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }
}

/// A ZIP archive read from its central directory (PKWARE APPNOTE 6.3): the end-of-central-directory
/// record is found from the end, ZIP64 records are followed when a field is saturated, and each
/// entry is inflated on demand, bounded by `DocumentLimits` (per-entry size, total size and
/// inflated/compressed ratio, so a zip bomb stops early) and checked against its CRC-32.
///
/// Sizes come from the central directory, so entries written with data descriptors (flag bit 3,
/// zeros in the local header) read the same as any other.
public struct ZIPArchive: Sendable {
    public let file: String
    public private(set) var entries: [ZIPEntry] = []
    private let bytes: [UInt8]
    private let limits: DocumentLimits
    private var byName: [String: Int] = [:]

    public init(_ bytes: [UInt8], file: String, limits: DocumentLimits = .standard) throws(DocumentError) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
        let directory = try ZIPDirectoryLocator(bytes, file: file).locate()
        guard directory.count <= limits.maximumEntries else {
            throw DocumentError(file: file, .byteOffset(directory.offset), "the archive lists \(directory.count) entries, more than the limit of \(limits.maximumEntries)")
        }
        var reader = ZIPByteReader(bytes, at: directory.offset, file: file)
        for _ in 0..<directory.count {
            let entry = try reader.centralDirectoryEntry()
            if !entry.hasUnsafeName, byName[entry.name] == nil { byName[entry.name] = entries.count }
            entries.append(entry)
        }
    }

    /// The entry called `name` (names with `..` or absolute paths are never found).
    public func entry(_ name: String) -> ZIPEntry? {
        byName[name].map { entries[$0] }
    }

    /// The inflated, CRC-checked content of the entry called `name`, or nil when there is none.
    public func data(_ name: String, budget: inout ZIPBudget) throws(DocumentError) -> [UInt8]? {
        guard let entry = entry(name) else { return nil }
        return try data(of: entry, budget: &budget)
    }

    /// The inflated, CRC-checked content of `entry`; its size counts against `budget`.
    public func data(of entry: ZIPEntry, budget: inout ZIPBudget) throws(DocumentError) -> [UInt8] {
        func fail(_ message: String, at offset: Int? = nil) -> DocumentError {
            DocumentError(file: file, .entry(entry.name, byteOffset: offset), message)
        }
        guard entry.flags & 1 == 0 else { throw fail("the entry is encrypted, which Baton does not read") }
        guard entry.uncompressedSize <= limits.maximumEntryBytes else {
            throw fail("the entry inflates to \(entry.uncompressedSize) bytes, more than the limit of \(limits.maximumEntryBytes)")
        }
        if entry.uncompressedSize > limits.ratioFloorBytes, entry.uncompressedSize / max(1, entry.compressedSize) > limits.maximumRatio {
            throw fail("the entry inflates \(entry.uncompressedSize / max(1, entry.compressedSize)) times its compressed size, more than the limit of \(limits.maximumRatio) (a zip bomb?)")
        }
        guard budget.remaining >= entry.uncompressedSize else {
            throw fail("the archive inflates to more than the limit of \(limits.maximumTotalBytes) bytes in all")
        }
        var header = ZIPByteReader(bytes, at: entry.localHeaderOffset, file: file)
        let start = try header.localDataStart(for: entry)
        guard start <= bytes.count, bytes.count - start >= entry.compressedSize else {
            throw fail("the entry's data runs past the end of the archive (truncated?)", at: start)
        }
        let stored = bytes[start..<(start + entry.compressedSize)]
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else { throw fail("a stored entry whose two sizes differ") }
            output = Array(stored)
        case 8:
            do {
                output = try Inflate.inflateStream(stored, limit: entry.uncompressedSize, expectedSize: entry.uncompressedSize).output
            } catch {
                throw fail(error.reason == .outputLimit ? "the entry inflates to more than the \(entry.uncompressedSize) bytes its directory entry says" : error.message,
                           at: error.byteOffset)
            }
        default:
            throw fail("compression method \(entry.method) is not supported (only stored and deflated)")
        }
        guard output.count == entry.uncompressedSize else {
            throw fail("the entry inflates to \(output.count) bytes, but its directory entry says \(entry.uncompressedSize)")
        }
        let crc = CRC32.checksum(output)
        guard crc == entry.crc32 else {
            throw fail("CRC-32 mismatch (\(Inflate.hex(entry.crc32)) stored, \(Inflate.hex(crc)) computed): the entry is damaged")
        }
        budget.remaining -= output.count
        return output
    }

    /// A fresh budget for reading entries of this archive.
    public var budget: ZIPBudget { ZIPBudget(remaining: limits.maximumTotalBytes) }
}

/// The bytes entries of one archive may still inflate to, shared by every read of one document.
public struct ZIPBudget: Sendable {
    public var remaining: Int
}

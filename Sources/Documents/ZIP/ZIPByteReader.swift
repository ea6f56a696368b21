/// Little-endian reads over an archive's bytes that never pass its end: a short read is a
/// `DocumentError` naming the offset.
struct ZIPByteReader {
    let bytes: [UInt8]
    var position: Int
    let file: String

    init(_ bytes: [UInt8], at position: Int, file: String) {
        self.bytes = bytes
        self.position = position
        self.file = file
    }

    func truncated(_ what: String) -> DocumentError {
        DocumentError(file: file, .byteOffset(position), "the archive ends inside \(what) (truncated?)")
    }

    mutating func uint16(_ what: String) throws(DocumentError) -> UInt16 {
        guard position >= 0, bytes.count - position >= 2 else { throw truncated(what) }
        defer { position += 2 }
        return UInt16(bytes[position]) | UInt16(bytes[position + 1]) << 8
    }

    mutating func uint32(_ what: String) throws(DocumentError) -> UInt32 {
        guard position >= 0, bytes.count - position >= 4 else { throw truncated(what) }
        defer { position += 4 }
        return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
    }

    mutating func uint64(_ what: String) throws(DocumentError) -> UInt64 {
        let low = UInt64(try uint32(what))
        return low | UInt64(try uint32(what)) << 32
    }

    mutating func take(_ count: Int, _ what: String) throws(DocumentError) -> ArraySlice<UInt8> {
        guard position >= 0, count >= 0, bytes.count - position >= count else { throw truncated(what) }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// An `Int` from a 64-bit field that must fit the file (sizes and offsets).
    static func size(_ value: UInt64) -> Int { value > UInt64(Int.max >> 1) ? Int.max >> 1 : Int(value) }

    /// One central directory file header (signature `PK\1\2`), with its ZIP64 extra field applied.
    mutating func centralDirectoryEntry() throws(DocumentError) -> ZIPEntry {
        let at = position
        guard try uint32("a central directory entry") == 0x0201_4B50 else {
            throw DocumentError(file: file, .byteOffset(at), "expected a central directory entry (PK\\1\\2) here")
        }
        _ = try take(4, "a central directory entry")  // versions made by / needed
        let flags = try uint16("a central directory entry")
        let method = try uint16("a central directory entry")
        _ = try take(4, "a central directory entry")  // time and date
        let crc = try uint32("a central directory entry")
        var compressed = UInt64(try uint32("a central directory entry"))
        var uncompressed = UInt64(try uint32("a central directory entry"))
        let nameLength = Int(try uint16("a central directory entry"))
        let extraLength = Int(try uint16("a central directory entry"))
        let commentLength = Int(try uint16("a central directory entry"))
        _ = try take(8, "a central directory entry")  // disk, internal and external attributes
        var offset = UInt64(try uint32("a central directory entry"))
        let nameBytes = try take(nameLength, "an entry name")
        let extra = try take(extraLength, "an entry's extra field")
        _ = try take(commentLength, "an entry comment")
        // The ZIP64 extended information (0x0001) holds, in this order, only the fields saturated above.
        var fields = ZIPByteReader(Array(extra), at: 0, file: file)
        while fields.bytes.count - fields.position >= 4 {
            let tag = try fields.uint16("an extra field")
            let size = Int(try fields.uint16("an extra field"))
            var body = ZIPByteReader(Array(try fields.take(min(size, fields.bytes.count - fields.position), "an extra field")), at: 0, file: file)
            guard tag == 0x0001 else { continue }
            if uncompressed == 0xFFFF_FFFF { uncompressed = try body.uint64("the ZIP64 extra field") }
            if compressed == 0xFFFF_FFFF { compressed = try body.uint64("the ZIP64 extra field") }
            if offset == 0xFFFF_FFFF { offset = try body.uint64("the ZIP64 extra field") }
        }
        // Bit 11 says UTF-8; older Korean tools wrote CP949 names, which only serve as keys here.
        let name = String(decoding: nameBytes, as: UTF8.self)
        return ZIPEntry(name: name, method: method, flags: flags, crc32: crc, compressedSize: Self.size(compressed),
                        uncompressedSize: Self.size(uncompressed), localHeaderOffset: Self.size(offset))
    }

    /// Checks the local file header (`PK\3\4`) at the reader's position and returns where the
    /// entry's data starts (after the local name and extra field, whose lengths may differ from
    /// the central directory's).
    mutating func localDataStart(for entry: ZIPEntry) throws(DocumentError) -> Int {
        let at = position
        guard try uint32("a local file header") == 0x0403_4B50 else {
            throw DocumentError(file: file, .entry(entry.name, byteOffset: at), "the central directory points at byte \(at), where there is no local file header")
        }
        _ = try take(22, "a local file header")
        let nameLength = Int(try uint16("a local file header"))
        let extraLength = Int(try uint16("a local file header"))
        return position + nameLength + extraLength
    }
}

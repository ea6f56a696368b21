/// Finds the central directory: the end-of-central-directory record (`PK\5\6`) within the last
/// 64 KiB + 22 bytes, then, when its fields are saturated, the ZIP64 locator (`PK\6\7`) just
/// before it and the ZIP64 end record (`PK\6\6`) it points to.
struct ZIPDirectoryLocator {
    let bytes: [UInt8]
    let file: String

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    struct Directory {
        var offset: Int
        var count: Int
    }

    func locate() throws(DocumentError) -> Directory {
        guard let end = endRecordOffset() else {
            throw DocumentError(file: file, .byteOffset(bytes.count), "no end-of-central-directory record: the archive is truncated or not a ZIP file")
        }
        var record = ZIPByteReader(bytes, at: end + 10, file: file)
        var count = UInt64(try record.uint16("the end-of-central-directory record"))
        _ = try record.uint32("the end-of-central-directory record")  // directory size
        var offset = UInt64(try record.uint32("the end-of-central-directory record"))
        if count == 0xFFFF || offset == 0xFFFF_FFFF, end >= 20 {
            var locator = ZIPByteReader(bytes, at: end - 20, file: file)
            if try locator.uint32("the ZIP64 locator") == 0x0706_4B50 {
                _ = try locator.uint32("the ZIP64 locator")
                let zip64End = ZIPByteReader.size(try locator.uint64("the ZIP64 locator"))
                var zip64 = ZIPByteReader(bytes, at: zip64End, file: file)
                guard try zip64.uint32("the ZIP64 end record") == 0x0606_4B50 else {
                    throw DocumentError(file: file, .byteOffset(zip64End), "the ZIP64 locator points at byte \(zip64End), where there is no ZIP64 end record")
                }
                _ = try zip64.take(28, "the ZIP64 end record")  // size, versions, disks, entries on this disk
                count = try zip64.uint64("the ZIP64 end record")
                _ = try zip64.uint64("the ZIP64 end record")
                offset = try zip64.uint64("the ZIP64 end record")
            }
        }
        guard offset < UInt64(bytes.count) || (count == 0 && offset == UInt64(bytes.count)) || count == 0 else {
            throw DocumentError(file: file, .byteOffset(end), "the central directory is said to start at byte \(offset), past the end of the archive (truncated?)")
        }
        // Each entry takes at least 46 bytes, so a count the file cannot hold is a lie, not a loop to run.
        guard count <= UInt64(bytes.count / 46) else {
            throw DocumentError(file: file, .byteOffset(end), "the archive claims \(count) entries, more than its \(bytes.count) bytes can hold")
        }
        return Directory(offset: Int(offset), count: Int(count))
    }

    /// The offset of the last `PK\5\6` that leaves room for its 22-byte record.
    private func endRecordOffset() -> Int? {
        guard bytes.count >= 22 else { return nil }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var index = bytes.count - 22
        while index >= lowest {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x05, bytes[index + 3] == 0x06 { return index }
            index -= 1
        }
        return nil
    }
}

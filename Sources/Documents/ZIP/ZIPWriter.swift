/// Writes a ZIP archive (APPNOTE 6.3) in memory: each entry deflated (or stored when DEFLATE
/// would not make it smaller), its CRC-32 and sizes in the local header (no data descriptors),
/// UTF-8 names (flag bit 11), then the central directory and its end record. What the DOCX and
/// HWPX writers package their parts with; Python's `zipfile` reads the result with CRCs checked.
public struct ZIPWriter: Sendable {
    private var body: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private var names: Set<String> = []

    public init() {}

    /// Why an entry cannot be added.
    public enum Failure: Error, Equatable {
        case duplicateName(String)
        case unsafeName(String)
        /// The archive would need ZIP64 (over 4 GiB or 65,535 entries), which this writer does not write.
        case tooLarge
    }

    /// Adds `data` as `name`; `stored: true` keeps it uncompressed (HWPX's `mimetype` must be).
    public mutating func add(_ name: String, _ data: [UInt8], stored: Bool = false) throws(Failure) {
        let entry = ZIPEntry(name: name, method: 0, flags: 0, crc32: 0, compressedSize: 0, uncompressedSize: 0, localHeaderOffset: 0)
        guard !entry.hasUnsafeName, !name.isEmpty else { throw .unsafeName(name) }
        guard names.insert(name).inserted else { throw .duplicateName(name) }
        let deflated = stored ? nil : Optional(Deflate.compress(data))
        let useDeflate = deflated.map { $0.count < data.count } ?? false
        let payload = useDeflate ? (deflated ?? data) : data
        let offset = body.count
        guard count < 0xFFFF, offset + payload.count + 200 < 0xFFFF_FFFF else { throw .tooLarge }
        let crc = CRC32.checksum(data)
        let nameBytes = Array(name.utf8)
        let method: UInt16 = useDeflate ? 8 : 0
        // 1980-01-01 00:00 (the DOS epoch): archives of the same content are the same bytes.
        let time: UInt16 = 0, date: UInt16 = 0x21
        body += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(method) + le16(time) + le16(date)
            + le32(crc) + le32(UInt32(payload.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count)) + le16(0)
        body += nameBytes
        body += payload
        directory += le32(0x0201_4B50) + le16(0x0314) + le16(20) + le16(0x0800) + le16(method) + le16(time) + le16(date)
            + le32(crc) + le32(UInt32(payload.count)) + le32(UInt32(data.count)) + le16(UInt16(nameBytes.count))
            + le16(0) + le16(0) + le16(0) + le16(0) + le32(0o100644 << 16) + le32(UInt32(offset))
        directory += nameBytes
        count += 1
    }

    /// The finished archive.
    public func archive() -> [UInt8] {
        let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
            + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
        return body + directory + end
    }

    private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}

/// One record of an HWP 5.0 stream: a 32-bit header (tag 10 bits, level 10 bits, size 12 bits;
/// a size of 0xFFF means a 32-bit size follows) and its data. Levels nest records: a paragraph
/// header at level 0 owns the level-1 records after it.
struct HWPRecord {
    var tag: UInt16
    var level: Int
    /// The record's data, indexed as in the stream.
    var data: ArraySlice<UInt8>
    /// The byte offset of the record's header in the (inflated) stream.
    var offset: Int
    /// Records one level down that belong to this one, in order.
    var children: [HWPRecord] = []

    // Tags (HWPTAG_BEGIN = 0x10).
    static let paraShape: UInt16 = 0x19
    static let paraHeader: UInt16 = 0x42
    static let paraText: UInt16 = 0x43
    static let ctrlHeader: UInt16 = 0x47
    static let listHeader: UInt16 = 0x48
    static let table: UInt16 = 0x4D

    /// The little-endian 16-bit value at `index` bytes into the data, or nil past its end.
    func uint16(at index: Int) -> UInt16? {
        let at = data.startIndex + index
        guard index >= 0, at + 2 <= data.endIndex else { return nil }
        return UInt16(data[at]) | UInt16(data[at + 1]) << 8
    }

    /// The little-endian 32-bit value at `index` bytes into the data, or nil past its end.
    func uint32(at index: Int) -> UInt32? {
        guard let low = uint16(at: index), let high = uint16(at: index + 2) else { return nil }
        return UInt32(low) | UInt32(high) << 16
    }

    /// A control header's id as its four characters (`tbl `, `secd`, `fn  `).
    var controlID: String {
        guard let value = uint32(at: 0) else { return "" }
        let scalars = [value >> 24, value >> 16 & 0xFF, value >> 8 & 0xFF, value & 0xFF].compactMap { Unicode.Scalar($0) }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The records of `bytes` (a whole stream) as a forest by level. A record that claims more
    /// bytes than remain is refused with its offset; so is one nested more than one level below
    /// the record before it would allow beyond `maximumDepth`.
    static func forest(_ bytes: [UInt8], stream: String, file: String, maximumDepth: Int) throws(DocumentError) -> [HWPRecord] {
        var flat: [HWPRecord] = []
        var position = 0
        while position < bytes.count {
            let at = position
            guard bytes.count - position >= 4 else {
                throw DocumentError(file: file, .entry(stream, byteOffset: at), "the stream ends inside a record header")
            }
            let header = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
            position += 4
            var size = Int(header >> 20)
            if size == 0xFFF {
                guard bytes.count - position >= 4 else {
                    throw DocumentError(file: file, .entry(stream, byteOffset: at), "the stream ends inside a record's extended size")
                }
                size = Int(UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24)
                position += 4
            }
            guard size <= bytes.count - position else {
                throw DocumentError(file: file, .entry(stream, byteOffset: at), "a record claims \(size) bytes, but only \(bytes.count - position) remain")
            }
            let level = Int(header >> 10 & 0x3FF)
            guard level <= maximumDepth * 4 else {
                throw DocumentError(file: file, .entry(stream, byteOffset: at), "records nest \(level) levels deep, more than the limit of \(maximumDepth * 4)")
            }
            flat.append(HWPRecord(tag: UInt16(header & 0x3FF), level: level, data: bytes[position..<(position + size)], offset: at))
            position += size
        }
        return nest(flat[...])
    }

    /// Nests a run of records: each takes the following records of a deeper level as children.
    private static func nest(_ records: ArraySlice<HWPRecord>) -> [HWPRecord] {
        var result: [HWPRecord] = []
        var index = records.startIndex
        while index < records.endIndex {
            var record = records[index]
            var end = index + 1
            while end < records.endIndex, records[end].level > record.level { end += 1 }
            record.children = nest(records[(index + 1)..<end])
            result.append(record)
            index = end
        }
        return result
    }
}

/// A CMap as PDF fonts embed it (Adobe technical note 5014/5099): code-space ranges that say how
/// many bytes each character code has, and mappings from codes to Unicode (`bfchar`/`bfrange`, a
/// ToUnicode CMap) or to CIDs (`cidchar`/`cidrange`, an encoding CMap).
struct PDFCMap {
    /// Code-space ranges: low and high bytes of equal length.
    var codeSpaces: [(low: [UInt8], high: [UInt8])] = []
    /// Code (with its byte length in the top bits, see `key`) to Unicode text.
    var unicode: [UInt64: String] = [:]
    /// Code to CID.
    var cids: [UInt64: Int] = [:]
    /// Ranges too large to expand: code range to first CID.
    var cidRanges: [(low: UInt32, high: UInt32, length: Int, cid: Int)] = []

    static let maximumEntries = 1 << 20

    @inline(__always) static func key(_ code: UInt32, length: Int) -> UInt64 { UInt64(length) << 32 | UInt64(code) }

    /// Identity-H/V: two-byte codes equal to CIDs.
    static let identity: PDFCMap = {
        var map = PDFCMap()
        map.codeSpaces = [([0, 0], [0xFF, 0xFF])]
        return map
    }()

    /// Parses a CMap program. Unknown operators are skipped; a CMap too damaged to read yields
    /// what was read before the damage (a font with fewer mappings, never a failed document).
    init() {}

    init(parsing data: [UInt8]) {
        data.withUnsafeBytes { buffer in
            var parser = PDFParser(buffer, readsReferences: false)
            var operands: [PDFObject] = []
            var entries = 0
            while entries < Self.maximumEntries {
                guard let token = try? parser.nextToken() else { break }
                switch token {
                case .end: return
                case .object(let object): operands.append(object)
                case .arrayStart:
                    var items: [PDFObject] = []
                    while let item = try? parser.nextToken(), item != .arrayEnd, item != .end {
                        if case .object(let object) = item { items.append(object) }
                    }
                    operands.append(.array(items))
                case .dictionaryStart:
                    _ = try? parser.dictionaryBody(start: parser.position, depth: 1)
                case .keyword(let word):
                    switch word {
                    case "endcodespacerange":
                        var k = 0
                        while k + 1 < operands.count {
                            if let low = operands[k].string, let high = operands[k + 1].string, low.count == high.count, (1...4).contains(low.count) {
                                codeSpaces.append((low, high))
                            }
                            k += 2
                        }
                    case "endbfchar":
                        for (key, text) in Self.singleCodes(operands, Self.text) {
                            unicode[key] = text
                            entries += 1
                        }
                    case "endbfrange":
                        var k = 0
                        while k + 2 < operands.count {
                            defer { k += 3 }
                            guard let low = operands[k].string, let high = operands[k + 1].string, low.count == high.count,
                                  (1...4).contains(low.count) else { continue }
                            let first = Self.code(low), last = Self.code(high)
                            guard first <= last, last - first < 65_536 else { continue }
                            let count = Int(last - first) + 1
                            entries += count
                            if case .array(let targets) = operands[k + 2] {
                                for (offset, target) in targets.prefix(count).enumerated() {
                                    if let text = Self.text(target) { unicode[Self.key(first + UInt32(offset), length: low.count)] = text }
                                }
                            } else if var units = operands[k + 2].string.map(Self.utf16Units), !units.isEmpty {
                                for offset in 0..<count {
                                    unicode[Self.key(first + UInt32(offset), length: low.count)] = String(decoding: units, as: UTF16.self)
                                    units[units.count - 1] &+= 1
                                }
                            }
                        }
                    case "endcidchar":
                        for (key, cid) in Self.singleCodes(operands, { $0.integer }) {
                            cids[key] = cid
                            entries += 1
                        }
                    case "endcidrange":
                        var k = 0
                        while k + 2 < operands.count {
                            if let low = operands[k].string, let high = operands[k + 1].string, low.count == high.count,
                               (1...4).contains(low.count), let cid = operands[k + 2].integer {
                                let first = Self.code(low), last = Self.code(high)
                                if first <= last { cidRanges.append((first, last, low.count, cid)); entries += 1 }
                            }
                            k += 3
                        }
                    default: break
                    }
                    operands.removeAll(keepingCapacity: true)
                default:
                    operands.removeAll(keepingCapacity: true)
                }
            }
        }
    }

    /// The `<code> value` pairs of a `bfchar` or `cidchar` section, as (key, value), leaving out
    /// codes that are not 1-4 bytes and values `read` does not accept.
    private static func singleCodes<Value>(_ operands: [PDFObject], _ read: (PDFObject) -> Value?) -> [(key: UInt64, value: Value)] {
        stride(from: 0, to: operands.count - 1, by: 2).compactMap { k in
            guard let source = operands[k].string, (1...4).contains(source.count), let value = read(operands[k + 1]) else { return nil }
            return (key(code(source), length: source.count), value)
        }
    }

    static func code(_ bytes: [UInt8]) -> UInt32 {
        var value: UInt32 = 0
        for byte in bytes { value = value << 8 | UInt32(byte) }
        return value
    }

    private static func utf16Units(_ bytes: [UInt8]) -> [UInt16] {
        var units: [UInt16] = []
        var k = 0
        while k + 1 < bytes.count {
            units.append(UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1]))
            k += 2
        }
        if k < bytes.count { units.append(UInt16(bytes[k])) }
        return units
    }

    /// A bfchar/bfrange target: UTF-16BE bytes, or a glyph name.
    private static func text(_ object: PDFObject) -> String? {
        switch object {
        case .string(let bytes): return String(decoding: utf16Units(bytes), as: UTF16.self)
        case .name(let name): return PDFSimpleEncoding.unicode(glyphName: name)
        default: return nil
        }
    }

    /// How many bytes the code at the start of `bytes[index...]` has, by the code-space ranges.
    func codeLength(_ bytes: [UInt8], at index: Int, fallback: Int) -> Int {
        guard !codeSpaces.isEmpty else { return min(fallback, bytes.count - index) }
        for length in 1...4 where index + length <= bytes.count {
            for space in codeSpaces where space.low.count == length {
                var inside = true
                for k in 0..<length where bytes[index + k] < space.low[k] || bytes[index + k] > space.high[k] {
                    inside = false
                    break
                }
                if inside { return length }
            }
        }
        let shortest = codeSpaces.map(\.low.count).min() ?? 1
        return min(shortest, bytes.count - index)
    }

    func cid(_ code: UInt32, length: Int) -> Int? {
        if let cid = cids[Self.key(code, length: length)] { return cid }
        for range in cidRanges where range.length == length && code >= range.low && code <= range.high {
            return range.cid + Int(code - range.low)
        }
        return nil
    }
}

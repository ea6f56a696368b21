/// A bounds-checked little-endian reader over the bytes of a GGUF file.
///
/// Every read checks the remaining length first, so a truncated or corrupt file becomes a
/// `RuntimeError` naming the offset, never a read past the end of the mapping.
struct GGUFReader {
    /// The whole file.
    let bytes: UnsafeRawBufferPointer
    /// The path, for errors.
    let file: String
    /// The next byte to read.
    var offset: Int = 0

    /// Arrays nested deeper than this are refused: real files nest at most one level, and the
    /// limit keeps a crafted file from exhausting the stack.
    static let maxArrayDepth = 8

    var remaining: Int { bytes.count - offset }

    func error(_ message: String, at position: Int? = nil) -> RuntimeError {
        RuntimeError(file: file, offset: position ?? offset, message: message)
    }

    /// Reads a fixed-size little-endian integer or float.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(RuntimeError) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else {
            throw error("unexpected end of file: expected \(size) bytes (\(what())), \(remaining) left")
        }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// Reads a GGUF string: a u64 length and that many bytes of UTF-8.
    mutating func readString(_ what: @autoclosure () -> String) throws(RuntimeError) -> String {
        let start = offset
        let length = try read(UInt64.self, "length of \(what())")
        guard length <= UInt64(remaining) else {
            throw error("\(what()) has length \(length), but only \(remaining) bytes are left in the file", at: start)
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        guard UTF8Validation.isValid(slice) else {
            throw error("\(what()) is not valid UTF-8", at: offset)
        }
        let string = String(decoding: slice.bindMemory(to: UInt8.self), as: UTF8.self)
        offset += count
        return string
    }

    /// Reads one metadata value of GGUF value type `type`.
    mutating func readValue(type: UInt32, key: String, depth: Int = 0) throws(RuntimeError) -> GGUFValue {
        // Built only for an error: an array reads this per element (98,000 for SmolLM2's vocabulary).
        func what() -> String { "value of '\(key)'" }
        switch type {
        case 0: return .uint8(try read(UInt8.self, what()))
        case 1: return .int8(try read(Int8.self, what()))
        case 2: return .uint16(try read(UInt16.self, what()))
        case 3: return .int16(try read(Int16.self, what()))
        case 4: return .uint32(try read(UInt32.self, what()))
        case 5: return .int32(try read(Int32.self, what()))
        case 6: return .float32(Float(bitPattern: try read(UInt32.self, what())))
        case 7:
            let start = offset
            let byte = try read(UInt8.self, what())
            guard byte <= 1 else { throw error("'\(key)' is a bool stored as \(byte), expected 0 or 1", at: start) }
            return .bool(byte == 1)
        case 8: return .string(try readString(what()))
        case 9: return try readArray(key: key, depth: depth)
        case 10: return .uint64(try read(UInt64.self, what()))
        case 11: return .int64(try read(Int64.self, what()))
        case 12: return .float64(Double(bitPattern: try read(UInt64.self, what())))
        default:
            throw error("'\(key)' has unknown value type \(type), expected 0...12", at: offset - 4)
        }
    }

    /// The fewest bytes one element of value type `type` can take, to bound array counts by the
    /// bytes left before allocating anything.
    static func minimumSize(ofValueType type: UInt32) -> Int {
        switch type {
        case 0, 1, 7: return 1
        case 2, 3: return 2
        case 4, 5, 6: return 4
        case 8: return 8
        case 9: return 12
        default: return 8
        }
    }

    /// Reads an array value: element type u32, count u64, then the elements.
    mutating func readArray(key: String, depth: Int) throws(RuntimeError) -> GGUFValue {
        guard depth < GGUFReader.maxArrayDepth else {
            throw error("'\(key)' nests arrays more than \(GGUFReader.maxArrayDepth) deep")
        }
        let typeOffset = offset
        let elementType = try read(UInt32.self, "element type of '\(key)'")
        guard elementType <= 12 else {
            throw error("array '\(key)' has unknown element type \(elementType), expected 0...12", at: typeOffset)
        }
        let countOffset = offset
        let count = try read(UInt64.self, "element count of '\(key)'")
        let minimum = UInt64(GGUFReader.minimumSize(ofValueType: elementType))
        guard count <= UInt64(remaining) / minimum else {
            throw error("array '\(key)' claims \(count) elements, but only \(remaining) bytes are left in the file", at: countOffset)
        }
        var elements: [GGUFValue] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<Int(count) {
            elements.append(try readValue(type: elementType, key: key, depth: depth + 1))
        }
        return .array(elements)
    }
}

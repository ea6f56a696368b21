/// Decodes a text file's bytes: UTF-8 (a byte-order mark is dropped), else CP949/EUC-KR, what
/// Korean Windows and Excel save (the encoding is recorded: `UTF-8`, `EUC-KR`, or `CP949` when
/// the extension area is used). Bytes that are neither are an error naming their offset.
public enum TextDecoding {
    /// The text and the name of the encoding it was decoded from.
    public struct Decoded: Sendable, Equatable {
        public var text: String
        public var encoding: String
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(DocumentError) -> Decoded {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let bad = invalidUTF8Offset(body) else {
            return Decoded(text: String(decoding: body, as: UTF8.self), encoding: "UTF-8")
        }
        if body.startIndex == 3 {  // a UTF-8 byte-order mark: the file says it is UTF-8
            throw DocumentError(file: file, .byteOffset(bad), "not valid UTF-8 (byte 0x\(hex(bytes[bad])))")
        }
        switch CP949.decode(body) {
        case .success(let decoded):
            return Decoded(text: decoded.text, encoding: decoded.extended ? "CP949" : "EUC-KR")
        case .failure(let failure):
            // Name the place where the reading that got further breaks.
            let offset = max(failure.offset, bad)
            let shown = bytes[offset..<min(bytes.count, offset + 2)].map { "0x" + hex($0) }.joined(separator: " ")
            throw DocumentError(file: file, .byteOffset(offset), "neither UTF-8 nor CP949/EUC-KR text (bytes \(shown))")
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// The offset (in the original array) of the first byte that does not belong to a well-formed
    /// UTF-8 sequence, or nil when all are valid.
    public static func invalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard end - index >= length else { return index }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return index }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}

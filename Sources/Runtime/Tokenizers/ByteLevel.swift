/// GPT-2's byte-to-character mapping: byte-level BPE vocabularies spell every byte as a visible
/// character (printable Latin-1 stays itself, the rest move to U+0100 and up), so a space is
/// `Ġ` and a newline `Ċ` in token texts.
enum ByteLevel {
    /// The code point that stands for each byte.
    static let characterOfByte: [UInt32] = {
        var map = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                map[byte] = UInt32(byte)
            } else {
                map[byte] = next
                next += 1
            }
        }
        return map
    }()

    /// The byte each code point below U+0144 stands for (-1 for none).
    static let byteOfCharacter: [Int16] = {
        var map = [Int16](repeating: -1, count: 0x144)
        for (byte, character) in characterOfByte.enumerated() { map[Int(character)] = Int16(byte) }
        return map
    }()

    /// Decodes the raw bytes a byte-level token text (UTF-8) spells into `bytes`; false when it
    /// has a character outside the mapping (such a token can only come from the special-token
    /// path). Mapped characters are below U+0144, so one or two UTF-8 bytes each.
    static func decode(_ utf8: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8]) -> Bool {
        bytes.removeAll(keepingCapacity: true)
        var i = 0
        let n = utf8.count
        while i < n {
            let b0 = utf8[i]
            var v: Int
            if b0 < 0x80 {
                v = Int(b0)
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < n {
                v = Int(b0 & 0x1F) << 6 | Int(utf8[i + 1] & 0x3F)
                i += 2
            } else {
                return false
            }
            guard v < 0x144 else { return false }
            v = Int(byteOfCharacter[v])
            guard v >= 0 else { return false }
            bytes.append(UInt8(v))
        }
        return true
    }

    /// The bytes of a token's piece as llama.cpp's `llama_decode_text` gives them: mapped
    /// characters become their bytes; any other character becomes
    /// `[UNK_BYTE_0x<its UTF-8 in hex><the whole token text>]`.
    static func decodeLenient(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let digits = Array("0123456789abcdef".utf8)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x144, byteOfCharacter[Int(v)] >= 0 {
                bytes.append(UInt8(byteOfCharacter[Int(v)]))
            } else {
                bytes.append(contentsOf: "[UNK_BYTE_0x".utf8)
                for b in String(scalar).utf8 { bytes.append(digits[Int(b >> 4)]); bytes.append(digits[Int(b & 15)]) }
                bytes.append(contentsOf: text.utf8)
                bytes.append(UInt8(ascii: "]"))
            }
        }
        return bytes
    }
}

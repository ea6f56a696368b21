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

    /// The raw bytes a byte-level token text spells, or nil when it has a character outside the
    /// mapping (such a token can only come from the special-token path).
    static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            guard v < 0x144, byteOfCharacter[Int(v)] >= 0 else { return nil }
            bytes.append(UInt8(byteOfCharacter[Int(v)]))
        }
        return bytes
    }

    /// The bytes of a token's piece as llama.cpp's `llama_decode_text` gives them: mapped
    /// characters become their bytes; any other character is kept as its UTF-8.
    static func decodeLenient(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x144, byteOfCharacter[Int(v)] >= 0 {
                bytes.append(UInt8(byteOfCharacter[Int(v)]))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }
}

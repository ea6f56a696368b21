/// Every token's piece — the bytes it prints as — in one flat arena, as llama.cpp's
/// token-to-piece cache: special and user-defined tokens as written, normal tokens decoded
/// (byte-level mapping, or `▁` → space), byte tokens as their byte, anything else empty.
struct TokenPieces: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int32] = [0]

    init(tokens: [String], attributes: [TokenAttributes], kind: Tokenizer.Kind) {
        bytes.reserveCapacity(tokens.count * 6)
        starts.reserveCapacity(tokens.count + 1)
        var scratch: [UInt8] = []
        for (i, token) in tokens.enumerated() {
            var text = token
            let a = attributes[i]
            if !a.intersection([.control, .unknown, .userDefined]).isEmpty {
                bytes.append(contentsOf: text.utf8)
            } else if a.contains(.normal) {
                switch kind {
                case .bpe:
                    if text.withUTF8({ ByteLevel.decode($0, into: &scratch) }) {
                        bytes.append(contentsOf: scratch)
                    } else {
                        bytes.append(contentsOf: ByteLevel.decodeLenient(text))
                    }
                case .sentencePiece:
                    // `▁` → space byte by byte: String replacement works on grapheme clusters and
                    // misses a `▁` followed by a combining mark.
                    let utf8 = Array(text.utf8)
                    var j = 0
                    while j < utf8.count {
                        if j + 2 < utf8.count && utf8[j] == 0xE2 && utf8[j + 1] == 0x96 && utf8[j + 2] == 0x81 {
                            bytes.append(0x20)
                            j += 3
                        } else {
                            bytes.append(utf8[j])
                            j += 1
                        }
                    }
                }
            } else if a.contains(.byte), let byte = TokenPieces.byteValue(of: text, kind: kind) {
                bytes.append(byte)
            }
            starts.append(Int32(bytes.count))
        }
    }

    var count: Int { starts.count - 1 }

    subscript(id: Int) -> ArraySlice<UInt8> {
        bytes[Int(starts[id])..<Int(starts[id + 1])]
    }

    /// The byte a byte token stands for (`<0x0A>`, or a byte-level character).
    static func byteValue(of text: String, kind: Tokenizer.Kind) -> UInt8? {
        let utf8 = Array(text.utf8)
        if utf8.count == 6, utf8.starts(with: Array("<0x".utf8)), utf8[5] == UInt8(ascii: ">") {
            return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
        }
        var bytes: [UInt8] = []
        if kind == .bpe, utf8.withUnsafeBufferPointer({ ByteLevel.decode($0, into: &bytes) }), bytes.count == 1 {
            return bytes[0]
        }
        return nil
    }
}

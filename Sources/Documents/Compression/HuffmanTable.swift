/// A canonical Huffman decoding table for DEFLATE, looked up with the next bits of the input
/// (least significant first): one primary table indexed by `primaryBits` bits, and for longer
/// codes small secondary tables that a link entry points to (as zlib's inflate does).
///
/// Each `UInt32` entry: bits 0-7 the bits to consume at this level, 8-11 the extra bits that
/// follow (or a link's secondary-table bits), 12-15 the kind, 16-31 the value (a literal byte, a
/// length/distance base, or a link's secondary-table offset).
struct HuffmanTable: Sendable {
    var entries: [UInt32]
    let primaryBits: Int

    static let kindInvalid: UInt32 = 0
    static let kindLiteral: UInt32 = 1
    static let kindBase: UInt32 = 2
    static let kindEnd: UInt32 = 3
    static let kindLink: UInt32 = 4

    enum BuildError: Error { case overSubscribed, incomplete }

    /// Builds the table for code `lengths` (0 = unused symbol). `meaning(symbol)` gives the entry's
    /// kind, extra bits and value; a complete code is required except a single one-bit code or
    /// no codes at all (legal for literal/lengths and distances, as zlib accepts); `strict` (the
    /// code-length code) requires a complete code.
    init(lengths: [UInt8], primaryBits: Int, strict: Bool = false, meaning: (Int) -> UInt32) throws(BuildError) {
        self.primaryBits = primaryBits
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        var maxLength = 0
        for bits in 1...15 {
            left = (left << 1) - counts[bits]
            if left < 0 { throw .overSubscribed }
            if counts[bits] > 0 { maxLength = bits }
        }
        if left > 0, strict || maxLength > 1 { throw .incomplete }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1...15 {
            code = (code + counts[bits - 1]) << 1
            nextCode[bits] = code
        }
        let primarySize = 1 << primaryBits
        let primaryMask = primarySize - 1
        // Reversed codes, and the widest secondary table each long-code prefix needs.
        var reversed = [Int](repeating: 0, count: lengths.count)
        var secondaryBits = [Int](repeating: 0, count: primarySize)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let bits = Int(length)
            reversed[symbol] = Self.reverse(nextCode[bits], bits)
            nextCode[bits] += 1
            if bits > primaryBits {
                let prefix = reversed[symbol] & primaryMask
                secondaryBits[prefix] = max(secondaryBits[prefix], bits - primaryBits)
            }
        }
        var size = primarySize
        var secondaryOffset = [Int](repeating: 0, count: primarySize)
        for prefix in 0..<primarySize where secondaryBits[prefix] > 0 {
            secondaryOffset[prefix] = size
            size += 1 << secondaryBits[prefix]
        }
        var entries = [UInt32](repeating: 0, count: size)
        for prefix in 0..<primarySize where secondaryBits[prefix] > 0 {
            entries[prefix] = UInt32(primaryBits) | UInt32(secondaryBits[prefix]) << 8
                | Self.kindLink << 12 | UInt32(secondaryOffset[prefix]) << 16
        }
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let bits = Int(length)
            let rev = reversed[symbol]
            if bits <= primaryBits {
                let entry = meaning(symbol) | UInt32(bits)
                var index = rev
                while index < primarySize { entries[index] = entry; index += 1 << bits }
            } else {
                let prefix = rev & primaryMask
                let subBits = bits - primaryBits
                let entry = meaning(symbol) | UInt32(subBits)
                let base = secondaryOffset[prefix]
                var index = rev >> primaryBits
                while index < 1 << secondaryBits[prefix] { entries[base + index] = entry; index += 1 << subBits }
            }
        }
        self.entries = entries
    }

    static func reverse(_ code: Int, _ bits: Int) -> Int {
        var result = 0
        var value = code
        for _ in 0..<bits {
            result = (result << 1) | (value & 1)
            value >>= 1
        }
        return result
    }

    static let lengthBase: [UInt32] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt32] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                                         1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra: [UInt32] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    /// What a literal/length symbol means: 0-255 a byte, 256 the end of the block, 257-285 a length.
    static func literalLengthMeaning(_ symbol: Int) -> UInt32 {
        if symbol < 256 { return kindLiteral << 12 | UInt32(symbol) << 16 }
        if symbol == 256 { return kindEnd << 12 }
        let index = symbol - 257
        guard index < lengthBase.count else { return kindInvalid << 12 }
        return kindBase << 12 | lengthExtra[index] << 8 | lengthBase[index] << 16
    }

    /// What a distance symbol means: 0-29 a distance base with its extra bits; 30 and 31 are invalid.
    static func distanceMeaning(_ symbol: Int) -> UInt32 {
        guard symbol < distanceBase.count else { return kindInvalid << 12 }
        return kindBase << 12 | distanceExtra[symbol] << 8 | distanceBase[symbol] << 16
    }

    /// The fixed literal/length code of block type 1 (RFC 1951 3.2.6).
    static let fixedLiteralLength: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        // The fixed code is complete, so building it cannot fail.
        return (try? HuffmanTable(lengths: lengths, primaryBits: 9, meaning: literalLengthMeaning))
            ?? HuffmanTable(empty: 9)
    }()

    /// The fixed distance code: 32 five-bit codes, 30 and 31 invalid.
    static let fixedDistance: HuffmanTable = {
        (try? HuffmanTable(lengths: [UInt8](repeating: 5, count: 32), primaryBits: 5, meaning: distanceMeaning))
            ?? HuffmanTable(empty: 5)
    }()

    /// A table where every code is invalid.
    init(empty primaryBits: Int) {
        self.primaryBits = primaryBits
        self.entries = [UInt32](repeating: 0, count: 1 << primaryBits)
    }
}

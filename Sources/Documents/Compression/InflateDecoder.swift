/// The DEFLATE decoder's state over one input buffer: a 64-bit bit buffer refilled eight bytes at
/// a time, and an output buffer that grows up to the caller's limit.
///
/// Bits past the end of the input read as zeros ("phantom" bits, counted in `phantom`); consuming
/// any of them means the data was truncated, which `refill` and `finish` report. This keeps the hot
/// loop free of end-of-input tests.
struct InflateDecoder {
    let input: UnsafePointer<UInt8>
    let inputCount: Int
    var position = 0
    var bits: UInt64 = 0
    var count = 0
    var phantom = 0
    var output: OutputBuffer

    init(input: UnsafePointer<UInt8>, count: Int, output: OutputBuffer) {
        self.input = input
        self.inputCount = count
        self.output = output
    }

    /// The offset of the next unread byte (for error messages and the bytes consumed).
    var byteOffset: Int { position - max(0, count - phantom) / 8 }

    /// An error at the current position; once phantom bits were consumed, any oddity is really
    /// the end of the data (zlib too reports such a stream as truncated).
    func error(_ reason: InflateError.Reason, _ message: String) -> InflateError {
        if count < phantom { return InflateError(.truncated, at: inputCount, "the compressed data ends in the middle of a block") }
        return InflateError(reason, at: max(0, byteOffset), message)
    }

    /// Fills the bit buffer to at least 56 bits.
    @inline(__always)
    mutating func refill() throws(InflateError) {
        if inputCount - position >= 8 {
            let word = UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self).littleEndian
            bits |= word &<< UInt64(count)
            position += (63 - count) >> 3
            count |= 56
        } else {
            try slowRefill()
        }
    }

    mutating func slowRefill() throws(InflateError) {
        if count < phantom { throw error(.truncated, "the compressed data ends in the middle of a block") }
        while count <= 56 {
            if position < inputCount {
                bits |= UInt64(input[position]) &<< UInt64(count)
                position += 1
            } else {
                phantom += 8
            }
            count += 8
        }
    }

    @inline(__always)
    mutating func take(_ n: Int) -> UInt32 {
        let value = UInt32(truncatingIfNeeded: bits & ((1 &<< UInt64(n)) &- 1))
        bits &>>= UInt64(n)
        count -= n
        return value
    }

    /// Decodes blocks until the final one ends.
    mutating func run() throws(InflateError) {
        var final = false
        while !final {
            try refill()
            final = take(1) == 1
            switch take(2) {
            case 0: try storedBlock()
            case 1: try huffmanBlock(HuffmanTable.fixedLiteralLength, HuffmanTable.fixedDistance)
            case 2:
                let (literals, distances) = try dynamicTables()
                try huffmanBlock(literals, distances)
            default: throw error(.invalid, "invalid block type")
            }
        }
        if count < phantom { throw error(.truncated, "the compressed data ends in the middle of a block") }
    }

    mutating func storedBlock() throws(InflateError) {
        _ = take(count & 7)
        if count < phantom { throw error(.truncated, "the compressed data ends in a stored block's header") }
        position -= (count - phantom) / 8
        bits = 0
        count = 0
        phantom = 0
        guard inputCount - position >= 4 else { throw error(.truncated, "the compressed data ends in a stored block's header") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == complement ^ 0xFFFF else { throw error(.invalid, "invalid stored block lengths") }
        position += 4
        guard inputCount - position >= length else { throw error(.truncated, "the compressed data ends inside a stored block") }
        try output.reserve(length, at: byteOffset)
        (output.base + output.count).update(from: input + position, count: length)
        output.count += length
        position += length
    }

    /// Reads a dynamic block's code lengths (RFC 1951 3.2.7) and builds its two tables.
    mutating func dynamicTables() throws(InflateError) -> (HuffmanTable, HuffmanTable) {
        try refill()
        let literalCount = Int(take(5)) + 257
        let distanceCount = Int(take(5)) + 1
        let codeLengthCount = Int(take(4)) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw error(.invalid, "too many length or distance symbols") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            if count < 3 { try refill() }
            codeLengthLengths[order[index]] = UInt8(take(3))
        }
        let codeLengths: HuffmanTable
        do { codeLengths = try HuffmanTable(lengths: codeLengthLengths, primaryBits: 7, strict: true) { UInt32($0) << 16 | HuffmanTable.kindLiteral << 12 } } catch {
            throw self.error(.invalid, "invalid code lengths set")
        }
        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            try refill()
            let entry = codeLengths.entries[Int(bits & 0x7F)]
            guard entry >> 12 & 0xF == HuffmanTable.kindLiteral else { throw error(.invalid, "invalid code lengths set") }
            _ = take(Int(entry & 0xFF))
            let symbol = Int(entry >> 16)
            var repeatValue: UInt8 = 0
            var repeatCount = 0
            switch symbol {
            case 0...15: lengths[index] = UInt8(symbol); index += 1; continue
            case 16:
                guard index > 0 else { throw error(.invalid, "invalid bit length repeat") }
                repeatValue = lengths[index - 1]
                repeatCount = 3 + Int(take(2))
            case 17: repeatCount = 3 + Int(take(3))
            default: repeatCount = 11 + Int(take(7))
            }
            guard index + repeatCount <= total else { throw error(.invalid, "invalid bit length repeat") }
            for offset in 0..<repeatCount { lengths[index + offset] = repeatValue }
            index += repeatCount
        }
        guard lengths[256] != 0 else { throw error(.invalid, "invalid code -- missing end-of-block") }
        let literals: HuffmanTable, distances: HuffmanTable
        do { literals = try HuffmanTable(lengths: Array(lengths[..<literalCount]), primaryBits: 10, meaning: HuffmanTable.literalLengthMeaning) } catch {
            throw self.error(.invalid, "invalid literal/lengths set")
        }
        do { distances = try HuffmanTable(lengths: Array(lengths[literalCount...]), primaryBits: 8, meaning: HuffmanTable.distanceMeaning) } catch {
            throw self.error(.invalid, "invalid distances set")
        }
        return (literals, distances)
    }
}

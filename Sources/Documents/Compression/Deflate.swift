/// DEFLATE (RFC 1951) compression with the fixed Huffman codes (BTYPE 01) and LZ77 matches found
/// through 3-byte hash chains in a 32 KiB window: what the ZIP writer stores DOCX and HWPX parts
/// with. Fixed codes need no code tables in the stream, and XML compresses well with them
/// (most of the gain of DEFLATE on markup is in the matches, not in the code lengths).
public enum Deflate {
    /// Raw DEFLATE data of `input` (one final block), as a ZIP entry holds it.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.reserve(input.count / 2 + 64)
        writer.write(0b1, bits: 1)  // BFINAL
        writer.write(0b01, bits: 2)  // BTYPE: fixed Huffman
        let windowSize = 1 << 15, maximumChain = 48, minimumMatch = 3, maximumMatch = 258
        var head = [Int32](repeating: -1, count: 1 << 15)
        var previous = [Int32](repeating: -1, count: windowSize)
        func hash(_ index: Int) -> Int {
            (Int(input[index]) << 10 ^ Int(input[index + 1]) << 5 ^ Int(input[index + 2])) & 0x7FFF
        }
        func insert(_ index: Int) {
            guard index + 2 < input.count else { return }
            let slot = hash(index)
            previous[index & (windowSize - 1)] = head[slot]
            head[slot] = Int32(index)
        }
        var index = 0
        while index < input.count {
            var bestLength = 0, bestDistance = 0
            if index + minimumMatch <= input.count {
                var candidate = Int(head[hash(index)])
                var chain = 0
                let limit = min(maximumMatch, input.count - index)
                while candidate >= 0, index - candidate <= windowSize - 1, chain < maximumChain {
                    if input[candidate + bestLength] == input[index + bestLength] {
                        var length = 0
                        while length < limit, input[candidate + length] == input[index + length] { length += 1 }
                        if length > bestLength {
                            bestLength = length
                            bestDistance = index - candidate
                            if length == limit { break }
                        }
                    }
                    let next = Int(previous[candidate & (windowSize - 1)])
                    if next >= candidate { break }  // a slot reused by a newer position
                    candidate = next
                    chain += 1
                }
            }
            if bestLength >= minimumMatch {
                writer.writeLength(bestLength)
                writer.writeDistance(bestDistance)
                for position in index..<(index + bestLength) { insert(position) }
                index += bestLength
            } else {
                writer.writeLiteral(Int(input[index]))
                insert(index)
                index += 1
            }
        }
        writer.writeLiteral(256)  // end of block
        return writer.finish()
    }

    /// Bits packed least significant first, as DEFLATE streams them; Huffman codes go in most
    /// significant bit first, so they are reversed on the way in.
    struct BitWriter {
        private var bytes: [UInt8] = []
        private var buffer: UInt64 = 0
        private var count = 0

        mutating func reserve(_ capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func write(_ value: Int, bits: Int) {
            buffer |= UInt64(value) << UInt64(count)
            count += bits
            while count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                count -= 8
            }
        }

        mutating func writeCode(_ code: Int, bits: Int) {
            var reversed = 0
            for bit in 0..<bits where code & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            write(reversed, bits: bits)
        }

        /// A literal/length symbol in the fixed code (RFC 1951 3.2.6).
        mutating func writeLiteral(_ symbol: Int) {
            switch symbol {
            case 0...143: writeCode(0x30 + symbol, bits: 8)
            case 144...255: writeCode(0x190 + symbol - 144, bits: 9)
            case 256...279: writeCode(symbol - 256, bits: 7)
            default: writeCode(0xC0 + symbol - 280, bits: 8)
            }
        }

        mutating func writeLength(_ length: Int) {
            var code = 28
            while HuffmanTable.lengthBase[code] > UInt32(length) { code -= 1 }
            writeLiteral(257 + code)
            let extra = Int(HuffmanTable.lengthExtra[code])
            if extra > 0 { write(length - Int(HuffmanTable.lengthBase[code]), bits: extra) }
        }

        mutating func writeDistance(_ distance: Int) {
            var code = 29
            while HuffmanTable.distanceBase[code] > UInt32(distance) { code -= 1 }
            writeCode(code, bits: 5)
            let extra = Int(HuffmanTable.distanceExtra[code])
            if extra > 0 { write(distance - Int(HuffmanTable.distanceBase[code]), bits: extra) }
        }

        mutating func finish() -> [UInt8] {
            if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
            buffer = 0
            count = 0
            return bytes
        }
    }
}

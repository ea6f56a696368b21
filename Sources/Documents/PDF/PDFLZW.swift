/// LZWDecode (ISO 32000-1 7.4.4): 9- to 12-bit codes, most significant bit first, 256 clears the
/// table and 257 ends the data; with EarlyChange the code width grows one code early.
enum PDFLZW {
    static func decode(_ data: [UInt8], earlyChange: Bool, limit: Int) throws(PDFError) -> [UInt8] {
        // The table as (prefix code, last byte, length): each entry's bytes are rebuilt by walking
        // prefixes, so the table never holds more than 4096 small tuples.
        var prefix = [Int](repeating: -1, count: 4096)
        var suffix = [UInt8](repeating: 0, count: 4096)
        var lengths = [Int](repeating: 1, count: 4096)
        for code in 0..<256 { suffix[code] = UInt8(code) }
        var next = 258
        var width = 9
        var previous = -1
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 3)
        var buffer: UInt32 = 0
        var bits = 0
        var index = 0
        var scratch = [UInt8](repeating: 0, count: 4096)

        func emit(_ code: Int) -> UInt8 {
            var length = lengths[code]
            var current = code
            var k = length - 1
            while current >= 0, k >= 0 {
                scratch[k] = suffix[current]
                current = prefix[current]
                k -= 1
            }
            if length > scratch.count { length = scratch.count }
            out.append(contentsOf: scratch[0..<length])
            return scratch[0]
        }

        while true {
            while bits < width {
                guard index < data.count else { return out }  // ran out without 257: keep what is there
                buffer = buffer << 8 | UInt32(data[index])
                index += 1
                bits += 8
            }
            let code = Int(buffer >> UInt32(bits - width)) & ((1 << width) - 1)
            bits -= width
            buffer &= (1 << UInt32(bits)) &- 1
            if code == 256 {
                next = 258
                width = 9
                previous = -1
                continue
            }
            if code == 257 { return out }
            if previous < 0 {
                guard code < 256 else { throw PDFError("LZWDecode: the first code after a clear is \(code)") }
                out.append(UInt8(code))
                previous = code
                continue
            }
            let first: UInt8
            if code < next {
                first = emit(code)
            } else if code == next {
                // The KwKwK case: the previous string plus its own first byte.
                let head = emit(previous)
                out.append(head)
                first = head
            } else {
                throw PDFError("LZWDecode: code \(code) before it is defined (next is \(next))")
            }
            if next < 4096 {
                prefix[next] = previous
                suffix[next] = first
                lengths[next] = lengths[previous] + 1
                next += 1
            }
            // The decoder's table is one entry behind the encoder's, hence the +1 with EarlyChange.
            if next + (earlyChange ? 1 : 0) >= (1 << width), width < 12 { width += 1 }
            previous = code
            if out.count > limit { throw PDFError("LZWDecode: more than \(limit) bytes") }
        }
    }
}

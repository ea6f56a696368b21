extension InflateDecoder {
    /// Decodes one Huffman-coded block: the hot loop. A refill before each symbol leaves at least
    /// 56 bits, enough for a length code (15), its extra bits (5), a distance code (15) and its
    /// extra bits (13).
    mutating func huffmanBlock(_ literals: HuffmanTable, _ distances: HuffmanTable) throws(InflateError) {
        try literals.entries.withUnsafeBufferPointer { (literalTable) throws(InflateError) in
            try distances.entries.withUnsafeBufferPointer { (distanceTable) throws(InflateError) in
                try decodeSymbols(literalTable, literals.primaryBits, distanceTable, distances.primaryBits)
            }
        }
    }

    @inline(__always)
    private mutating func decodeSymbols(_ literalTable: UnsafeBufferPointer<UInt32>, _ literalBits: Int,
                                        _ distanceTable: UnsafeBufferPointer<UInt32>, _ distanceBits: Int) throws(InflateError) {
        let literalMask = UInt64((1 << literalBits) - 1)
        let distanceMask = UInt64((1 << distanceBits) - 1)
        while true {
            try refill()
            var entry = literalTable[Int(bits & literalMask)]
            if entry >> 12 & 0xF == HuffmanTable.kindLink {
                bits &>>= UInt64(literalBits)
                count -= literalBits
                entry = literalTable[Int(entry >> 16) + Int(bits & ((1 &<< UInt64(entry >> 8 & 0xF)) &- 1))]
            }
            let kind = entry >> 12 & 0xF
            bits &>>= UInt64(entry & 0xFF)
            count -= Int(entry & 0xFF)
            if kind == HuffmanTable.kindLiteral {
                if output.count >= output.capacity { try output.reserve(1, at: byteOffset) }
                output.base[output.count] = UInt8(truncatingIfNeeded: entry >> 16)
                output.count += 1
                continue
            }
            if kind == HuffmanTable.kindEnd { return }
            guard kind == HuffmanTable.kindBase else { throw error(.invalid, "invalid literal/length code") }
            let length = Int(entry >> 16) + Int(take(Int(entry >> 8 & 0xF)))
            var distanceEntry = distanceTable[Int(bits & distanceMask)]
            if distanceEntry >> 12 & 0xF == HuffmanTable.kindLink {
                bits &>>= UInt64(distanceBits)
                count -= distanceBits
                distanceEntry = distanceTable[Int(distanceEntry >> 16) + Int(bits & ((1 &<< UInt64(distanceEntry >> 8 & 0xF)) &- 1))]
            }
            guard distanceEntry >> 12 & 0xF == HuffmanTable.kindBase else { throw error(.invalid, "invalid distance code") }
            bits &>>= UInt64(distanceEntry & 0xFF)
            count -= Int(distanceEntry & 0xFF)
            let distance = Int(distanceEntry >> 16) + Int(take(Int(distanceEntry >> 8 & 0xF)))
            guard distance <= output.count else { throw error(.invalid, "invalid distance too far back") }
            if output.capacity - output.count < length + 8 { try output.reserve(length + 8, exact: length, at: byteOffset) }
            copyMatch(length: length, distance: distance)
        }
    }

    /// Appends `length` bytes starting `distance` back (they may overlap the bytes being written).
    /// Writes up to 7 bytes past the match; `reserve` keeps that slack.
    @inline(__always)
    private func copyMatch(length: Int, distance: Int) {
        let destination = output.base + output.count
        let source = destination - distance
        if distance >= 8 {
            var offset = 0
            while offset < length {
                UnsafeMutableRawPointer(destination + offset).storeBytes(
                    of: UnsafeRawPointer(source + offset).loadUnaligned(as: UInt64.self), as: UInt64.self)
                offset += 8
            }
        } else if distance == 1 {
            destination.update(repeating: source.pointee, count: length)
        } else {
            for offset in 0..<length { destination[offset] = source[offset] }
        }
        output.count += length
    }
}

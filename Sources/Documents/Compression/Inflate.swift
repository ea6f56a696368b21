/// DEFLATE (RFC 1951) and zlib (RFC 1950) decompression, bounded: the caller names the most bytes
/// the output may have, so a zip bomb or a lying size ends in `InflateError.Reason.outputLimit`
/// instead of exhausting memory.
public enum Inflate {
    /// Inflated bytes and how many compressed bytes the stream used (data may follow it).
    public struct Result: Sendable, Equatable {
        public var output: [UInt8]
        public var consumed: Int
    }

    /// Inflates raw DEFLATE data (as ZIP stores it). `expectedSize` presizes the output.
    public static func inflate(_ input: [UInt8], limit: Int = .max, expectedSize: Int? = nil) throws(InflateError) -> [UInt8] {
        try inflateStream(input[...], limit: limit, expectedSize: expectedSize).output
    }

    /// Inflates the raw DEFLATE stream at the start of `input` and says where it ended. With an
    /// `expectedSize` the output is inflated straight into the result's storage (not zero-filled
    /// first, not copied after), which is what reading a ZIP entry of known size costs.
    public static func inflateStream(_ input: ArraySlice<UInt8>, limit: Int = .max, expectedSize: Int? = nil) throws(InflateError) -> Result {
        let limit = max(0, limit)
        var failure: InflateError?
        var consumed = 0
        var grown: [UInt8]?
        // 16 bytes of slack: a match copy writes up to 7 bytes past its end. A stated size is a
        // header's word, so it is bounded by what the stream can produce at all (DEFLATE inflates
        // at most 1,032 times its input, plus a block's worth): a lying size cannot reserve more.
        let possible = input.count.multipliedReportingOverflow(by: 1_032)
        let bound = possible.overflow ? Int.max - 65_536 : possible.partialValue + 65_536
        let capacity = expectedSize.map { max(64, min($0, limit, bound) + 16) } ?? 0
        let inPlace = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
            input.withUnsafeBufferPointer { buffer in
                let output = expectedSize == nil ? OutputBuffer(initialCapacity: max(1024, buffer.count * 4), limit: limit)
                    : OutputBuffer(lent: storage, limit: limit)
                var empty: UInt8 = 0
                withUnsafePointer(to: &empty) { emptyPointer in
                    var decoder = InflateDecoder(input: buffer.baseAddress ?? emptyPointer, count: buffer.count, output: output)
                    do throws(InflateError) { try decoder.run() } catch { failure = error; return }
                    consumed = decoder.byteOffset
                }
                if failure != nil { return }
                if output.ownsMemory { grown = output.bytes() } else { initialized = output.count }
            }
        }
        if let failure { throw failure }
        return Result(output: grown ?? inPlace, consumed: consumed)
    }

    /// Inflates a zlib stream (a two-byte header, DEFLATE data, the Adler-32 of the output), as
    /// PDF's FlateDecode filter holds it. `verifyChecksum: false` accepts a missing or wrong
    /// Adler-32 (many PDF writers get it wrong) but still requires complete DEFLATE data.
    public static func zlib(_ input: [UInt8], limit: Int = .max, verifyChecksum: Bool = true) throws(InflateError) -> [UInt8] {
        guard input.count >= 2 else { throw InflateError(.truncated, at: input.count, "a zlib stream needs a two-byte header") }
        let method = input[0], flags = input[1]
        guard (UInt16(method) << 8 | UInt16(flags)) % 31 == 0 else { throw InflateError(.invalid, at: 1, "incorrect header check") }
        guard method & 0x0F == 8 else { throw InflateError(.invalid, at: 0, "unknown compression method \(method & 0x0F)") }
        guard method >> 4 <= 7 else { throw InflateError(.invalid, at: 0, "invalid window size") }
        guard flags & 0x20 == 0 else { throw InflateError(.invalid, at: 1, "a preset dictionary is required, which PDF and ZIP never use") }
        let result = try inflateStream(input[2...], limit: limit)
        guard verifyChecksum else { return result.output }
        let trailer = 2 + result.consumed
        guard input.count - trailer >= 4 else { throw InflateError(.truncated, at: input.count, "the zlib stream ends before its Adler-32") }
        let stored = UInt32(input[trailer]) << 24 | UInt32(input[trailer + 1]) << 16 | UInt32(input[trailer + 2]) << 8 | UInt32(input[trailer + 3])
        let actual = Adler32.checksum(result.output)
        guard stored == actual else {
            throw InflateError(.checksum, at: trailer, "incorrect data check (Adler-32 \(hex(stored)) stored, \(hex(actual)) computed)")
        }
        return result.output
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

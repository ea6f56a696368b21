/// The stream filters text needs (ISO 32000-1 7.4): FlateDecode (through the module's `Inflate`),
/// LZWDecode, ASCIIHexDecode, ASCII85Decode, RunLengthDecode, with the PNG and TIFF predictors.
/// Image-only filters (DCT, JPX, CCITT, JBIG2) are refused: their streams never hold text.
enum PDFFilters {
    static func decode(_ input: [UInt8], filters: [String], parameters: [PDFDictionary?], limit: Int) throws(PDFError) -> [UInt8] {
        var data = input
        for (index, filter) in filters.enumerated() {
            let parms = index < parameters.count ? parameters[index] : nil
            switch filter {
            case "FlateDecode", "Fl":
                data = try inflate(data, limit: limit)
                data = try PDFPredictor.undo(data, parameters: parms, limit: limit)
            case "LZWDecode", "LZW":
                let earlyChange = parms?["EarlyChange"]?.integer ?? 1
                data = try PDFLZW.decode(data, earlyChange: earlyChange != 0, limit: limit)
                data = try PDFPredictor.undo(data, parameters: parms, limit: limit)
            case "ASCIIHexDecode", "AHx": data = try asciiHex(data)
            case "ASCII85Decode", "A85": data = try ascii85(data, limit: limit)
            case "RunLengthDecode", "RL": data = try runLength(data, limit: limit)
            case "Crypt": continue  // the identity crypt filter; the document key is applied before
            default: throw PDFError("the \(filter) filter is not supported for text")
            }
            guard data.count <= limit else { throw PDFError("a stream decodes to more than \(limit) bytes") }
        }
        return data
    }

    /// zlib data; raw DEFLATE when the zlib header is missing, as some writers emit.
    static func inflate(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        do {
            return try Inflate.zlib(data, limit: limit, verifyChecksum: false)
        } catch let zlibError {
            if zlibError.reason == .outputLimit { throw PDFError("FlateDecode: \(zlibError)") }
            if let raw = try? Inflate.inflate(data, limit: limit) { return raw }
            throw PDFError("FlateDecode: \(zlibError)")
        }
    }

    static func asciiHex(_ data: [UInt8]) throws(PDFError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count / 2)
        var high: UInt8?
        for (offset, byte) in data.enumerated() {
            if byte == 0x3E { break }
            if PDFParser.isWhitespace(byte) { continue }
            guard let value = PDFParser.hexValue(byte) else { throw PDFError("ASCIIHexDecode: byte \(offset) is not a hex digit") }
            if let pending = high { out.append(pending << 4 | value); high = nil } else { high = value }
        }
        if let high { out.append(high << 4) }
        return out
    }

    static func ascii85(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 4 / 5)
        var group: UInt64 = 0
        var count = 0
        var index = 0
        if data.count >= 2, data[0] == 0x3C, data[1] == 0x7E { index = 2 }  // optional "<~"
        while index < data.count {
            let byte = data[index]
            index += 1
            if byte == 0x7E { break }  // "~>"
            if PDFParser.isWhitespace(byte) { continue }
            if byte == 0x7A, count == 0 {
                out.append(contentsOf: [0, 0, 0, 0])
                continue
            }
            guard byte >= 0x21, byte <= 0x75 else { throw PDFError("ASCII85Decode: byte \(index - 1) is not a base-85 digit") }
            group = group * 85 + UInt64(byte - 0x21)
            count += 1
            if count == 5 {
                guard group <= UInt64(UInt32.max) else { throw PDFError("ASCII85Decode: a group at byte \(index - 5) is too large") }
                out.append(contentsOf: [UInt8(group >> 24 & 0xFF), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)])
                group = 0
                count = 0
            }
            if out.count > limit { throw PDFError("ASCII85Decode: more than \(limit) bytes") }
        }
        if count == 1 { throw PDFError("ASCII85Decode: a final group of one digit") }
        if count > 1 {
            for _ in count..<5 { group = group * 85 + 84 }
            let bytes = [UInt8(group >> 24 & 0xFF), UInt8(group >> 16 & 0xFF), UInt8(group >> 8 & 0xFF), UInt8(group & 0xFF)]
            out.append(contentsOf: bytes[0..<(count - 1)])
        }
        return out
    }

    static func runLength(_ data: [UInt8], limit: Int) throws(PDFError) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < data.count {
            let length = Int(data[index])
            index += 1
            if length == 128 { break }
            if length < 128 {
                let end = min(data.count, index + length + 1)
                out.append(contentsOf: data[index..<end])
                index = end
            } else if index < data.count {
                out.append(contentsOf: repeatElement(data[index], count: 257 - length))
                index += 1
            }
            if out.count > limit { throw PDFError("RunLengthDecode: more than \(limit) bytes") }
        }
        return out
    }
}

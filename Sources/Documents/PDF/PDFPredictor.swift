/// The predictors of FlateDecode and LZWDecode (ISO 32000-1 7.4.4.4): TIFF predictor 2 and the
/// PNG predictors (10-15, a filter-type byte before each row).
enum PDFPredictor {
    static func undo(_ data: [UInt8], parameters: PDFDictionary?, limit: Int) throws(PDFError) -> [UInt8] {
        guard let parameters, let predictor = parameters["Predictor"]?.integer, predictor > 1 else { return data }
        let colors = max(1, parameters["Colors"]?.integer ?? 1)
        let bitsPerComponent = max(1, parameters["BitsPerComponent"]?.integer ?? 8)
        let columns = max(1, parameters["Columns"]?.integer ?? 1)
        guard colors <= 32, bitsPerComponent <= 16, columns <= 1 << 24 else {
            throw PDFError("predictor parameters out of range (Colors \(colors), BitsPerComponent \(bitsPerComponent), Columns \(columns))")
        }
        let bytesPerPixel = max(1, (colors * bitsPerComponent + 7) / 8)
        let rowBytes = (colors * bitsPerComponent * columns + 7) / 8
        if predictor == 2 { return tiff(data, rowBytes: rowBytes, bytesPerPixel: bytesPerPixel, bitsPerComponent: bitsPerComponent) }
        guard predictor >= 10 else { throw PDFError("unknown predictor \(predictor)") }
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowBytes)
        var row = [UInt8](repeating: 0, count: rowBytes)
        var index = 0
        while index < data.count {
            let type = data[index]
            index += 1
            let available = min(rowBytes, data.count - index)
            for k in 0..<rowBytes { row[k] = k < available ? data[index + k] : 0 }
            index += available
            for k in 0..<rowBytes {
                let left = k >= bytesPerPixel ? row[k - bytesPerPixel] : 0
                let up = previous[k]
                let upLeft = k >= bytesPerPixel ? previous[k - bytesPerPixel] : 0
                switch type {
                case 0: break
                case 1: row[k] = row[k] &+ left
                case 2: row[k] = row[k] &+ up
                case 3: row[k] = row[k] &+ UInt8((Int(left) + Int(up)) / 2)
                case 4: row[k] = row[k] &+ paeth(left, up, upLeft)
                default: throw PDFError("PNG predictor: unknown row filter \(type) at byte \(index - available - 1)")
                }
            }
            out.append(contentsOf: row[0..<available])
            swap(&previous, &row)
            if out.count > limit { throw PDFError("a predicted stream decodes to more than \(limit) bytes") }
        }
        return out
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    private static func tiff(_ data: [UInt8], rowBytes: Int, bytesPerPixel: Int, bitsPerComponent: Int) -> [UInt8] {
        guard bitsPerComponent == 8 else { return data }  // text never needs sub-byte TIFF prediction
        var out = data
        var start = 0
        while start < out.count {
            let end = min(out.count, start + rowBytes)
            var k = start + bytesPerPixel
            while k < end {
                out[k] = out[k] &+ out[k - bytesPerPixel]
                k += 1
            }
            start = end
        }
        return out
    }
}

/// A matrix of a GGUF file kept in its stored format (quantized or not), whose rows are turned
/// into floats on demand: the LoRA trainer dequantizes one frozen weight at a time into a
/// reused buffer instead of holding every weight as F32. Row `i` is `columns` values (ggml's
/// `shape[0]`, the fastest); the result is the same as `GGUFFile.dequantized`, value for value.
///
/// `@unchecked Sendable`: it reads the file's read-only mapping, which it keeps alive.
package struct GGUFRows: @unchecked Sendable {
    package let rows: Int
    package let columns: Int
    let format: WeightFormat
    let base: UnsafeRawPointer
    let rowBytes: Int
    let file: GGUFFile

    /// Writes rows `range` to `destination` (`range.count × columns` floats, row after row).
    package func dequantize(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        for row in range {
            Dequantize.row(format, base + row * rowBytes, destination + (row - range.lowerBound) * columns, count: columns)
        }
    }
}

extension GGUFFile {
    /// `tensor` as rows to dequantize on demand (see `GGUFRows`).
    package func rows(_ tensor: GGUFTensorInfo) throws(RuntimeError) -> GGUFRows {
        let format = WeightFormat(tensor.type)
        let columns = tensor.shape.first ?? 1
        let rows = tensor.shape.dropFirst().reduce(1, *)
        let bytes = data(for: tensor)
        guard columns > 0, columns % format.blockSize == 0, bytes.count >= rows * format.rowBytes(columns),
              let base = bytes.baseAddress else {
            throw RuntimeError(file: path, message: "tensor '\(tensor.name)' of type \(tensor.type.name) and shape \(tensor.shape) cannot be read as \(rows) rows of \(columns) values")
        }
        return GGUFRows(rows: rows, columns: columns, format: format, base: base, rowBytes: format.rowBytes(columns), file: self)
    }

    /// The values of `tensor` as floats in ggml order (`shape[0]` fastest), whatever its stored
    /// format. For code that needs a frozen weight in plain form, e.g. the LoRA trainer's norms.
    package func dequantized(_ tensor: GGUFTensorInfo) throws(RuntimeError) -> [Float] {
        let matrix = try rows(tensor)
        var values = [Float](repeating: 0, count: matrix.rows * matrix.columns)
        values.withUnsafeMutableBufferPointer { out in
            guard let destination = out.baseAddress else { return }
            matrix.dequantize(0..<matrix.rows, into: destination)
        }
        return values
    }
}

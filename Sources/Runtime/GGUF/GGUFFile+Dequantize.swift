extension GGUFFile {
    /// The values of `tensor` as floats in ggml order (`shape[0]` fastest), whatever its stored
    /// format. For code that needs a frozen weight in plain form, e.g. the LoRA trainer's
    /// transposed products (`W^T·dy`), which the quantized dot-product kernels do not offer.
    package func dequantized(_ tensor: GGUFTensorInfo) throws(RuntimeError) -> [Float] {
        let format = WeightFormat(tensor.type)
        let columns = tensor.shape.first ?? 1
        let rows = tensor.shape.dropFirst().reduce(1, *)
        let bytes = data(for: tensor)
        guard columns > 0, columns % format.blockSize == 0, bytes.count >= rows * format.rowBytes(columns),
              let base = bytes.baseAddress else {
            throw RuntimeError(file: path, message: "tensor '\(tensor.name)' of type \(tensor.type.name) and shape \(tensor.shape) cannot be read as \(rows) rows of \(columns) values")
        }
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { out in
            guard let destination = out.baseAddress else { return }
            for row in 0..<rows {
                Dequantize.row(format, base + row * format.rowBytes(columns), destination + row * columns, count: columns)
            }
        }
        return values
    }
}

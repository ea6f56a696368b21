import Foundation

extension SafetensorsFile {
    /// Parses and validates the JSON header of a mapped file of `bytes.count` bytes.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer, path: String) throws(SafetensorsError)
        -> (metadata: [String: String], tensors: [SafetensorsTensor]) {
        let size = bytes.count
        let declared = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declared <= UInt64(maximumHeaderLength) else {
            throw SafetensorsError(path: path, offset: 0,
                                   message: "header length \(declared) exceeds the limit of \(maximumHeaderLength) bytes")
        }
        let headerLength = Int(declared)
        guard headerLength <= size - 8 else {
            throw SafetensorsError(path: path, offset: 0,
                                   message: "header length \(headerLength) runs past the end of the file (\(size) bytes)")
        }
        let headerData = Data(bytes[8..<(8 + headerLength)])
        guard let json = try? JSONSerialization.jsonObject(with: headerData),
              let object = json as? [String: Any] else {
            throw SafetensorsError(path: path, offset: 8, message: "header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataSize = size - dataStart
        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensor] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else {
                    throw SafetensorsError(path: path, offset: 8, message: "__metadata__ is not an object")
                }
                for (key, entry) in map { metadata[key] = entry as? String ?? "\(entry)" }
                continue
            }
            tensors.append(try parseEntry(name: name, value: value, dataStart: dataStart, dataSize: dataSize, path: path))
        }
        tensors.sort { ($0.offset, $0.name) < ($1.offset, $1.name) }
        // As the reference reader requires: the tensors tile the data section exactly, in order,
        // with no gap or overlap and nothing after them. A header length that is off by one
        // shifts every tensor and is caught here, instead of reading misaligned floats.
        var expected = dataStart
        for tensor in tensors {
            guard tensor.offset == expected else {
                throw SafetensorsError(path: path, offset: 8, message: tensor.offset > expected
                    ? "tensor '\(tensor.name)' starts at data offset \(tensor.offset - dataStart), leaving \(tensor.offset - expected) bytes unused before it"
                    : "tensor '\(tensor.name)' at data offset \(tensor.offset - dataStart) overlaps the tensor before it")
            }
            expected += tensor.byteCount
        }
        guard expected == size else {
            throw SafetensorsError(path: path, offset: 0, message: "the tensors end \(size - expected) bytes before the end of the file (data section of \(dataSize) bytes, header length \(headerLength)): the header length is wrong or the file has extra bytes")
        }
        return (metadata, tensors)
    }

    /// One tensor entry: dtype known, shape non-negative, offsets inside the data and consistent with the shape.
    private static func parseEntry(name: String, value: Any, dataStart: Int, dataSize: Int, path: String)
        throws(SafetensorsError) -> SafetensorsTensor {
        func fail(_ message: String) -> SafetensorsError {
            SafetensorsError(path: path, offset: 8, message: "tensor '\(name)': \(message)")
        }
        guard let entry = value as? [String: Any] else { throw fail("entry is not an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw fail("missing dtype") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else { throw fail("unknown dtype '\(dtypeName)'") }
        guard let shapeValues = entry["shape"] as? [Any] else { throw fail("missing shape") }
        var shape: [Int] = []
        var elements = 1
        for dimension in shapeValues {
            guard let number = dimension as? NSNumber, let size = Int(exactly: number.doubleValue), size >= 0 else {
                throw fail("shape \(shapeValues) has a dimension that is not a non-negative integer")
            }
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow, product <= dataSize else { throw fail("shape \(shapeValues) is larger than the file") }
            elements = product
            shape.append(size)
        }
        guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
              let beginNumber = offsets[0] as? NSNumber, let endNumber = offsets[1] as? NSNumber,
              let begin = Int(exactly: beginNumber.doubleValue), let end = Int(exactly: endNumber.doubleValue) else {
            throw fail("data_offsets must be two integers")
        }
        guard begin >= 0, begin <= end else { throw fail("data_offsets [\(begin), \(end)] are not in order") }
        guard end <= dataSize else {
            throw fail("data_offsets [\(begin), \(end)] run past the end of the data (\(dataSize) bytes)")
        }
        let expected = elements * dtype.size
        guard end - begin == expected else {
            throw fail("shape \(shape) of \(dtypeName) needs \(expected) bytes but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return SafetensorsTensor(name: name, dtype: dtype, shape: shape, offset: dataStart + begin, byteCount: expected)
    }
}

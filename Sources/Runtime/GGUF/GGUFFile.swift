/// A GGUF model file (version 2 or 3), memory-mapped and fully validated when opened.
///
/// Opening checks every length, count, offset and shape against the file size, so after `init`
/// every tensor's bytes are known to lie inside the file, aligned and not overlapping another
/// tensor's: `data(for:)` needs no further checks. The mapping is released when the object goes.
///
/// `@unchecked Sendable`: everything is immutable after `init` and the mapped memory is read-only.
public final class GGUFFile: @unchecked Sendable {
    /// The path the file was opened with.
    public let path: String
    /// The GGUF format version (2 or 3).
    public let version: UInt32
    /// Every metadata key and value.
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataOrder: [String]
    /// The tensors in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, 32 when absent).
    public let alignment: Int
    /// The absolute offset where the tensor data section starts.
    public let dataOffset: Int
    /// The file size in bytes.
    public var fileSize: Int { mapping.bytes.count }

    private let mapping: GGUFMapping
    private let tensorIndex: [String: Int]

    /// Opens, maps and validates the GGUF file at `path`.
    public convenience init(path: String) throws(RuntimeError) {
        try self.init(mapping: try GGUFMapping(path: path), name: path)
    }

    /// Validates a GGUF file held in memory; `name` stands for the path in errors.
    public convenience init(bytes: [UInt8], name: String) throws(RuntimeError) {
        try self.init(mapping: GGUFMapping(copying: bytes), name: name)
    }

    private init(mapping: GGUFMapping, name: String) throws(RuntimeError) {
        let parsed = try GGUFParser.parse(mapping.bytes, file: name)
        self.mapping = mapping
        path = name
        version = parsed.version
        metadata = parsed.metadata
        metadataOrder = parsed.metadataOrder
        tensors = parsed.tensors
        alignment = parsed.alignment
        dataOffset = parsed.dataOffset
        var index: [String: Int] = [:]
        for (i, tensor) in parsed.tensors.enumerated() { index[tensor.name] = i }
        tensorIndex = index
    }

    /// The tensor called `name`, if the file has one.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The bytes of a tensor of this file (bounds were checked when the file was opened).
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let all = mapping.bytes
        let start = min(max(tensor.offset, 0), all.count)
        let end = min(start + max(tensor.byteCount, 0), all.count)
        return UnsafeRawBufferPointer(rebasing: all[start..<end])
    }

    /// A string value.
    public func string(_ key: String) -> String? { metadata[key]?.stringValue }
    /// An integer value of any integer type.
    public func int(_ key: String) -> Int? { metadata[key]?.intValue }
    /// A floating-point value (f32 or f64).
    public func float(_ key: String) -> Float? { metadata[key]?.floatValue }
    /// A bool value.
    public func bool(_ key: String) -> Bool? { metadata[key]?.boolValue }
    /// An array of strings; nil when absent or when any element is not a string.
    public func strings(_ key: String) -> [String]? { array(key, \.stringValue) }
    /// An array of integers; nil when absent or when any element is not an integer.
    public func ints(_ key: String) -> [Int]? { array(key, \.intValue) }
    /// An array of floats; nil when absent or when any element is not a float.
    public func floats(_ key: String) -> [Float]? { array(key, \.floatValue) }

    private func array<T>(_ key: String, _ element: (GGUFValue) -> T?) -> [T]? {
        guard let array = metadata[key]?.arrayValue else { return nil }
        var result: [T] = []
        result.reserveCapacity(array.count)
        for value in array {
            guard let v = element(value) else { return nil }
            result.append(v)
        }
        return result
    }
}

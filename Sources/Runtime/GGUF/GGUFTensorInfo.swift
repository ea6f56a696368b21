/// Where one tensor lives in a GGUF file and how it is laid out.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public var name: String
    /// The element type.
    public var type: GGMLType
    /// The dimensions, ne0 (the contiguous one) first, as ggml orders them.
    public var shape: [Int]
    /// The absolute byte offset of the tensor's data in the file.
    public var offset: Int
    /// The number of bytes of data.
    public var byteCount: Int

    public init(name: String, type: GGMLType, shape: [Int], offset: Int, byteCount: Int) {
        self.name = name
        self.type = type
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
    }

    /// The number of elements (the product of the shape).
    public var elementCount: Int { shape.reduce(1, *) }
}

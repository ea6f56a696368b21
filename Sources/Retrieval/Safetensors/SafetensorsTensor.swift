/// The element types a safetensors header may name. Only the float types can be read as floats;
/// the others are accepted (so files that carry e.g. `position_ids` in I64 still open) but not converted.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8", u8 = "U8", bool = "BOOL"
    case u16 = "U16", u32 = "U32", u64 = "U64"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64, .u64: 8
        case .f32, .i32, .u32: 4
        case .f16, .bf16, .i16, .u16: 2
        case .i8, .u8, .bool: 1
        }
    }
}

/// One tensor's entry in a safetensors header, already checked against the file.
public struct SafetensorsTensor: Sendable, Equatable {
    /// The tensor's name (`encoder.layer.0.attention.self.query.weight`).
    public var name: String
    public var dtype: SafetensorsDType
    /// Row-major shape, outermost dimension first (as PyTorch writes it).
    public var shape: [Int]
    /// Absolute byte offset of the first element in the file.
    public var offset: Int
    /// Bytes of data: the product of `shape` times the element size.
    public var byteCount: Int

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
}

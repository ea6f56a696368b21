/// Conversions between `Float` and the 16-bit float formats stored in GGUF files.
///
/// With an F16C target `Float16` conversions are single instructions; bfloat16 is the upper half
/// of an IEEE float, rounded to nearest even as ggml's `GGML_FP32_TO_BF16` does.
enum HalfFloat {
    /// The value of an IEEE half stored as its bit pattern.
    @inline(__always)
    static func float(fromHalf bits: UInt16) -> Float { Float(Float16(bitPattern: bits)) }

    /// The bit pattern of `value` rounded to an IEEE half.
    @inline(__always)
    static func half(_ value: Float) -> UInt16 { Float16(value).bitPattern }

    /// `value` rounded to half precision and back (what storing an `ggml_fp16_t` does).
    @inline(__always)
    static func roundedToHalf(_ value: Float) -> Float { Float(Float16(value)) }

    /// The value of a bfloat16 stored as its bit pattern.
    @inline(__always)
    static func float(fromBFloat bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// The bit pattern of `value` rounded to bfloat16 (nearest even; NaN stays a quiet NaN).
    @inline(__always)
    static func bfloat(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if (bits & 0x7fff_ffff) > 0x7f80_0000 { return UInt16(truncatingIfNeeded: (bits >> 16) | 64) }
        return UInt16(truncatingIfNeeded: (bits &+ (0x7fff &+ ((bits >> 16) & 1))) >> 16)
    }
}

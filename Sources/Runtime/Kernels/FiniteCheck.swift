/// Finds NaN and infinite values in activations, so that a corrupt weight or a metadata value
/// that slipped past validation becomes an error naming the layer rather than garbage text or a
/// trap further on.
///
/// Cheap enough to run after every layer: one pass over `tokens × width` floats comparing bit
/// patterns (an integer maximum over 16 lanes), against the layer's `≈ 12 · width²` multiply-adds
/// per token.
enum FiniteCheck {
    /// What `count` floats at `values` hold that is not finite: `nil` when all are finite, else
    /// "NaN" or "infinite" (NaN wins when both occur).
    static func problem(_ values: UnsafePointer<Float>, count: Int) -> String? {
        let raw = UnsafeRawPointer(values)
        let mask = SIMD16<UInt32>(repeating: 0x7FFF_FFFF)
        var lanes = SIMD16<UInt32>()
        var i = 0
        while i + 16 <= count {
            lanes = pointwiseMax(lanes, raw.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<UInt32>.self) & mask)
            i += 16
        }
        var bits = lanes.max()
        while i < count {
            bits = max(bits, values[i].bitPattern & 0x7FFF_FFFF)
            i += 1
        }
        // Exponent all ones: 0x7F80_0000 is ±∞, anything above it NaN.
        if bits < 0x7F80_0000 { return nil }
        return bits > 0x7F80_0000 ? "NaN" : "infinite"
    }
}

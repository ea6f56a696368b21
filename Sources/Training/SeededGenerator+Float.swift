import Base

extension SeededGenerator {
    /// Uniform in [0, 1) with 24 random bits, a Float's whole mantissa: the trainer's draws for
    /// its initial A matrices and dropout masks (the top 24 bits of each 64-bit draw, so the
    /// sequences for a seed are those of the former private SplitMix64 copy).
    mutating func unitFloat() -> Float { Float(next() >> 40) / Float(1 << 24) }
}

/// SplitMix64: a small, fast generator whose whole state is the seed, so runs are reproducible.
///
/// The one seeded generator: the sampler draws from it, benchmarks and tests make their data
/// with it, so a seed means the same numbers everywhere. In `Base` (not `Runtime`) so that
/// modules and test targets that do not load models can use it too; `@inlinable` so that the
/// sampler's draw stays as cheap as when both lived in one module.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    @inlinable public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

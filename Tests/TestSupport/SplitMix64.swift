import Base

/// The name some test targets use for `Base.SeededGenerator` (SplitMix64), the one seeded
/// generator, so test data and fuzz cases are the same on every run.
public typealias SplitMix64 = SeededGenerator

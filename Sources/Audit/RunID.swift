import Foundation

/// Run ids: `20261129-021530-a1b2c3`, the UTC start second and 24 random bits. Sorting ids sorts
/// runs by start time; the random part keeps runs started in the same second apart.
public enum RunID {
    /// A new id for a run starting at `date`.
    public static func make(at date: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    /// A new id drawing its random part from `generator` (seeded in tests).
    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> String {
        let random = String(UInt32.random(in: 0..<(1 << 24), using: &generator), radix: 16)
        return AuditTime.compact(date) + "-" + String(repeating: "0", count: 6 - random.count) + random
    }
}

import Foundation

/// The timing arithmetic every benchmark shares: a body's wall time, a `Duration` in seconds,
/// and the median that the benchmarks report (the upper middle of an even count).
enum BenchTiming {
    /// Seconds that `body` took on the wall clock.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return seconds(ContinuousClock.now - start)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The median of `values` (for an even count the upper of the two middle values); 0 when
    /// there are none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}

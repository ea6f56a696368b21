import Foundation

/// Maps wall-clock times of one time zone to instants, following Baton's DST rule (the one
/// croniter 7 with zoneinfo follows):
/// - a wall time that occurs twice (the repeated hour when clocks go back) fires at both instants;
/// - a wall time that does not exist (the hour skipped when clocks go forward) fires once, at the
///   instant the gap ends (02:30 on a New York spring-forward day fires at 03:00 EDT) — unless
///   the expression runs every hour, which `CronExpression` decides (it then skips the gap).
struct ZoneMapping {
    let zone: TimeZone

    func offset(at second: Int) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
    }

    /// The instants (seconds since 1970) at which `wall` (seconds of wall time) happens: one,
    /// two in a repeat, or in a gap (`inGap`) the single instant at which the gap ends.
    func instants(ofWall wall: Int) -> (first: Int, second: Int?, inGap: Bool) {
        let before = offset(at: wall - 86_400)
        let after = offset(at: wall + 86_400)
        var offsets = [before]
        if after != before { offsets.append(after) }
        for guess in [before, after] {
            let actual = offset(at: wall - guess)
            if !offsets.contains(actual) { offsets.append(actual) }
        }
        let valid = offsets.map { wall - $0 }.filter { offset(at: $0) == wall - $0 }.sorted()
        if let first = valid.first {
            return (first, valid.count > 1 ? valid[valid.count - 1] : nil, false)
        }
        return (gapEnd(around: wall, offsets: offsets), nil, true)
    }

    /// The first instant after the offset change that makes `wall` not exist.
    private func gapEnd(around wall: Int, offsets: [Int]) -> Int {
        var low = wall - (offsets.max() ?? 0)   // before the change: offset differs from `high`'s
        var high = wall - (offsets.min() ?? 0)
        let highOffset = offset(at: high)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == highOffset { high = middle } else { low = middle }
        }
        return high
    }
}

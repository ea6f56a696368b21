/// Durations as workflows write them: a sequence of number+unit parts, `500ms`, `30s`, `2m`,
/// `1h30m`, `1h 30m`, `1.5s`. Units: `ms`, `s`, `m`, `h`, `d`.
///
/// Why a unit is required: a bare `30` is ambiguous (seconds? milliseconds?), and a timeout off by
/// a factor of 1000 is an expensive surprise, so the loader asks for the unit instead of guessing.
public enum DurationText {
    /// The duration `text` denotes, or `nil` when it is not a duration.
    public static func parse(_ text: String) -> Duration? {
        let characters = Array(text.trimmingWhitespace())
        guard !characters.isEmpty else { return nil }
        var index = 0
        var totalMilliseconds = 0.0
        var parts = 0
        while index < characters.count {
            while index < characters.count, characters[index] == " " { index += 1 }
            if index == characters.count { break }
            var number = ""
            while index < characters.count, characters[index].isASCII, characters[index].isNumber || characters[index] == "." {
                number.append(characters[index])
                index += 1
            }
            var unit = ""
            while index < characters.count, characters[index].isASCII, characters[index].isLetter {
                unit.append(characters[index])
                index += 1
            }
            guard let value = Double(number), value.isFinite, let scale = unitMilliseconds[unit] else { return nil }
            totalMilliseconds += value * scale
            parts += 1
        }
        guard parts > 0, totalMilliseconds < 1e15 else { return nil }
        return .milliseconds(Int64(totalMilliseconds.rounded()))
    }

    /// A compact spelling of `duration` in the same syntax (`1h30m`, `2s`, `250ms`).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }

    private static let unitMilliseconds: [String: Double] = [
        "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000,
    ]
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}

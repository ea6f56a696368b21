/// Finds stop strings in streamed text and holds back what could still become one, so the
/// caller never sees a stop string (or part of one) that the final text will not contain.
struct StopStringMatcher {
    let stops: [String]
    private(set) var text = ""
    /// How much of `text` has been handed out.
    private var released = 0

    init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
    }

    /// Adds `piece`; returns the text safe to show and whether a stop string was reached (then
    /// `text` is cut before it).
    mutating func append(_ piece: String) -> (release: String, stopped: Bool) {
        text += piece
        for stop in stops {
            if let range = text.range(of: stop) {
                text = String(text[..<range.lowerBound])
                return (flush(upTo: text.count), true)
            }
        }
        var hold = 0
        for stop in stops {
            var length = min(stop.count, text.count)
            while length > hold {
                if text.hasSuffix(stop.prefix(length)) { hold = length; break }
                length -= 1
            }
        }
        return (flush(upTo: text.count - hold), false)
    }

    /// What is left to show at the end.
    mutating func finish() -> String { flush(upTo: text.count) }

    private mutating func flush(upTo end: Int) -> String {
        guard end > released else { return "" }
        let start = text.index(text.startIndex, offsetBy: released)
        let stop = text.index(text.startIndex, offsetBy: end)
        released = end
        return String(text[start..<stop])
    }
}

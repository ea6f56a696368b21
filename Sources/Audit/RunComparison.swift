/// Two recorded runs side by side: the final attempt of each step and `for_each` item in both,
/// paired by key in the order they first appear (the first run's order, then steps only the
/// second has). `baton diff` and the console's diff page read it.
public struct RunComparison: Sendable, Equatable {
    /// One step or item: its final attempt in each run (`nil` where that run has none).
    public struct Pair: Sendable, Equatable {
        public var key: StepKey
        public var a: StepAttemptRecord?
        public var b: StepAttemptRecord?
    }

    public var pairs: [Pair]

    public init(a: [StepAttemptRecord], b: [StepAttemptRecord]) {
        let finalA = Self.finalAttempts(a)
        let finalB = Self.finalAttempts(b)
        let byKeyB = Dictionary(finalB.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let keysA = Set(finalA.map(\.key))
        pairs = finalA.map { Pair(key: $0.key, a: $0, b: byKeyB[$0.key]) }
            + finalB.filter { !keysA.contains($0.key) }.map { Pair(key: $0.key, a: nil, b: $0) }
    }

    /// The last attempt of each step and item, in the order each first appears.
    public static func finalAttempts(_ attempts: [StepAttemptRecord]) -> [StepAttemptRecord] {
        var order: [StepKey] = []
        var last: [StepKey: StepAttemptRecord] = [:]
        for attempt in attempts {
            if last.updateValue(attempt, forKey: attempt.key) == nil { order.append(attempt.key) }
        }
        return order.compactMap { last[$0] }
    }
}

/// One training sequence: token ids and, per token, whether it is a target (an assistant
/// token whose prediction counts in the loss).
public struct TrainingExample: Sendable, Equatable {
    public var tokens: [Int]
    public var mask: [Bool]

    public init(tokens: [Int], mask: [Bool]) {
        self.tokens = tokens
        self.mask = mask
    }

    /// Tokens whose prediction counts (the first token is never predicted).
    public var targetCount: Int { mask.dropFirst().filter { $0 }.count }
}

/// Whitespace between JSON tokens, at most `maximum` bytes in a row, so that a constrained model
/// cannot pad an answer forever. Both validators keep one.
struct JSONWhitespaceRun: Sendable, Equatable {
    let maximum: Int
    private var length = 0

    init(maximum: Int) { self.maximum = maximum }

    /// For a whitespace byte: whether it is accepted (`allowed` here, and the run below its
    /// maximum), counting it. For any other byte: nil, and the run starts over.
    mutating func accept(_ byte: UInt8, allowed: Bool) -> Bool? {
        guard JSONNumberLexer.isWhitespace(byte) else {
            length = 0
            return nil
        }
        guard allowed, length < maximum else { return false }
        length += 1
        return true
    }
}

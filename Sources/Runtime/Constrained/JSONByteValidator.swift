/// What the token mask asks of a constrained-decoding grammar, fed one byte at a time.
protocol JSONByteValidator: Sendable, Equatable {
    /// Whether `byte` can continue the text; false leaves the validator in an unspecified state.
    mutating func feed(_ byte: UInt8) -> Bool
    /// Whether the value is complete (only the end may follow).
    var isComplete: Bool { get }
    /// The shortest text that closes what is open (output cut off by the token limit).
    func closingSuffix() -> String
}

extension JSONByteValidator {
    /// Feeds `bytes`; false (and the validator left in an unspecified state) when they cannot
    /// continue the text.
    mutating func feed<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        for byte in bytes where !feed(byte) { return false }
        return true
    }
}

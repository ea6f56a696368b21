import Template

extension JSONShape {
    /// `text` as the bytes between the quotes of its JSON string literal.
    static func escapedBytes(_ text: String) -> [UInt8] {
        Array(Value.string(text).jsonString().utf8.dropFirst().dropLast())
    }
}

/// How a scalar was written in the source. Kept because a quoted `"yes"` is a string while a
/// plain `yes` may be read as something else by the workflow decoder.
public enum ScalarStyle: Sendable, Hashable {
    case plain, singleQuoted, doubleQuoted, literal, folded
}

/// A scalar value exactly as written (after YAML unescaping and folding), with its style and tag.
public struct Scalar: Sendable, Equatable {
    /// The text of the scalar. Type resolution (numbers, booleans) is left to the consumer.
    public var value: String
    public var style: ScalarStyle
    /// The explicit tag in its resolved form (`!!str` becomes `tag:yaml.org,2002:str`), or nil
    /// when the scalar had no tag.
    public var tag: String?

    public init(_ value: String, style: ScalarStyle = .plain, tag: String? = nil) {
        self.value = value
        self.style = style
        self.tag = tag
    }

    /// True for a plain scalar that YAML 1.2's core schema reads as null (`~`, `null`, empty).
    public var isNull: Bool {
        style == .plain && tag == nil && ["", "~", "null", "Null", "NULL"].contains(value)
    }
}

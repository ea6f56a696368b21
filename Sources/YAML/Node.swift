/// A node of a parsed YAML document: a scalar, a sequence or a mapping, with its source mark.
///
/// Aliases are already resolved when a tree is built: an alias is a copy of the anchored node
/// (its top-level mark is the alias's position, the marks inside stay those of the anchor).
public struct Node: Sendable, Equatable {
    /// What the node holds.
    public indirect enum Content: Sendable, Equatable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([MappingEntry])
    }

    public var content: Content
    /// Where the node starts in the source (1-based).
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// The scalar, when this node is one.
    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The items, when this node is a sequence.
    public var sequence: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The entries in source order, when this node is a mapping.
    public var mapping: [MappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value of the entry whose key is the scalar `key`; nil when this is not a mapping or
    /// the key is absent. Keys are unique (the parser rejects duplicates).
    public subscript(key: String) -> Node? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.first { $0.key.scalar?.value == key }?.value
    }

    /// A short name of the node's kind for diagnostics: "scalar", "sequence" or "mapping".
    public var kindName: String {
        switch content {
        case .scalar: "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }
}

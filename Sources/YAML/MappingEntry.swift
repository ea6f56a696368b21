/// One `key: value` pair of a mapping; mappings keep their entries in source order.
public struct MappingEntry: Sendable, Equatable {
    public var key: Node
    public var value: Node
}

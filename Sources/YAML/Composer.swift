/// Builds the node tree from libyaml events without recursion, so that nesting depth is bounded
/// by an explicit limit rather than by the thread's stack, and enforces the checks libyaml leaves
/// to its users: duplicate keys, unknown aliases, alias-bomb expansion, one document per file.
struct Composer {
    /// Deepest allowed nesting of sequences and mappings.
    let maxDepth: Int
    /// Most nodes that aliases may add to the tree in total (billion-laughs protection).
    let maxAliasNodes: Int

    private enum Frame {
        case sequence(mark: Mark, anchor: String?, items: [Node], size: Int)
        case mapping(mark: Mark, anchor: String?, entries: [MappingEntry], pendingKey: Node?,
                     firstSeen: [String: Mark], size: Int)

        var anchor: String? {
            switch self {
            case .sequence(_, let anchor, _, _), .mapping(_, let anchor, _, _, _, _): anchor
            }
        }
    }

    /// An anchored node and the number of nodes in it (what an alias to it costs).
    private struct Anchored {
        var node: Node
        var size: Int
    }

    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var aliasNodes = 0

    init(maxDepth: Int, maxAliasNodes: Int) {
        self.maxDepth = maxDepth
        self.maxAliasNodes = maxAliasNodes
    }

    /// Reads the whole stream and returns its single document's root node.
    mutating func compose(_ reader: EventReader) throws(YAMLError) -> Node {
        _ = try reader.next() // stream start
        guard case .documentStart(let documentMark) = try reader.next() else {
            throw YAMLError(file: reader.file, mark: Mark(line: 1, column: 1),
                            message: "empty file: expected a YAML document", sourceLine: nil)
        }
        let root = try composeRoot(reader)
        if root.scalar == Scalar("") && anchors.isEmpty {
            throw YAMLError(file: reader.file, mark: documentMark,
                            message: "empty document: expected a YAML node",
                            sourceLine: reader.source.line(documentMark.line))
        }
        _ = try reader.next() // document end
        if case .documentStart(let second) = try reader.next() {
            throw YAMLError(file: reader.file, mark: second,
                            message: "a second YAML document in one file is not supported (the first starts at \(documentMark))",
                            sourceLine: reader.source.line(second.line))
        }
        return root
    }

    private mutating func composeRoot(_ reader: EventReader) throws(YAMLError) -> Node {
        while true {
            let completed: (node: Node, size: Int, anchor: String?)
            switch try reader.next() {
            case .scalar(let scalar, let anchor, _, let mark):
                completed = (Node(.scalar(scalar), mark: mark), 1, anchor)
            case .alias(let name, let mark):
                completed = try resolveAlias(name, at: mark, reader: reader)
            case .sequenceStart(let anchor, let mark):
                try checkDepth(mark, reader: reader)
                stack.append(.sequence(mark: mark, anchor: anchor, items: [], size: 1))
                continue
            case .mappingStart(let anchor, let mark):
                try checkDepth(mark, reader: reader)
                stack.append(.mapping(mark: mark, anchor: anchor, entries: [], pendingKey: nil, firstSeen: [:], size: 1))
                continue
            case .sequenceEnd, .mappingEnd:
                switch stack.removeLast() {
                case .sequence(let mark, let anchor, let items, let size):
                    completed = (Node(.sequence(items), mark: mark), size, anchor)
                case .mapping(let mark, let anchor, let entries, _, _, let size):
                    completed = (Node(.mapping(entries), mark: mark), size, anchor)
                }
            case .streamStart, .streamEnd, .documentStart, .documentEnd:
                continue
            }
            if let anchor = completed.anchor {
                anchors[anchor] = Anchored(node: completed.node, size: completed.size)
            }
            guard !stack.isEmpty else { return completed.node }
            try add(completed.node, size: completed.size, reader: reader)
        }
    }

    /// Appends a finished node to the collection being built.
    private mutating func add(_ node: Node, size: Int, reader: EventReader) throws(YAMLError) {
        switch stack[stack.count - 1] {
        case .sequence(let mark, let anchor, var items, let total):
            stack[stack.count - 1] = .sequence(mark: mark, anchor: anchor, items: [], size: 0)
            items.append(node)
            stack[stack.count - 1] = .sequence(mark: mark, anchor: anchor, items: items, size: total + size)
        case .mapping(let mark, let anchor, var entries, let pendingKey, var firstSeen, let total):
            stack[stack.count - 1] = .sequence(mark: mark, anchor: nil, items: [], size: 0)
            var key = pendingKey
            if let pending = pendingKey {
                entries.append(MappingEntry(key: pending, value: node))
                key = nil
            } else {
                if let name = node.scalar?.value {
                    if let first = firstSeen[name] {
                        throw YAMLError(file: reader.file, mark: node.mark,
                                        message: "duplicate key '\(name)' (first defined at \(first))",
                                        sourceLine: reader.source.line(node.mark.line))
                    }
                    firstSeen[name] = node.mark
                }
                key = node
            }
            stack[stack.count - 1] = .mapping(mark: mark, anchor: anchor, entries: entries, pendingKey: key,
                                              firstSeen: firstSeen, size: total + size)
        }
    }

    private mutating func resolveAlias(_ name: String, at mark: Mark,
                                       reader: EventReader) throws(YAMLError) -> (node: Node, size: Int, anchor: String?) {
        guard let anchored = anchors[name] else {
            let recursive = stack.contains { $0.anchor == name }
            let message = recursive
                ? "alias '*\(name)' refers to a node that contains it (recursive aliases are not supported)"
                : "unknown alias '*\(name)': no anchor '&\(name)' is defined before it"
            throw YAMLError(file: reader.file, mark: mark, message: message, sourceLine: reader.source.line(mark.line))
        }
        aliasNodes += anchored.size
        if aliasNodes > maxAliasNodes {
            throw YAMLError(file: reader.file, mark: mark,
                            message: "alias '*\(name)' expands the document past \(maxAliasNodes) nodes; refusing a possible alias bomb",
                            sourceLine: reader.source.line(mark.line))
        }
        var copy = anchored.node
        copy.mark = mark
        return (copy, anchored.size, nil)
    }

    private func checkDepth(_ mark: Mark, reader: EventReader) throws(YAMLError) {
        if stack.count >= maxDepth {
            throw YAMLError(file: reader.file, mark: mark,
                            message: "nesting deeper than \(maxDepth) levels is not supported",
                            sourceLine: reader.source.line(mark.line))
        }
    }
}

/// Finds the free-variable paths a template reads, for dependency extraction.
///
/// A path is the longest static chain of `.name` and `['string']` accesses from a name the
/// template did not bind (loop targets, `loop`, `{% set %}` names, and jinja2's globals when the
/// template calls them). A chain stops before a method call: `steps.a.output.strip()` reads
/// `steps.a.output`.
struct ReferenceCollector {
    private var references: [TemplateReference] = []
    private var bound: [Set<String>] = [[]]

    static func collect(_ nodes: [Node]) -> [TemplateReference] {
        var collector = ReferenceCollector()
        collector.visit(nodes)
        return collector.references
    }

    private func isBound(_ name: String) -> Bool { bound.contains { $0.contains(name) } }

    private mutating func visit(_ nodes: [Node]) {
        for node in nodes {
            switch node {
            case .text: break
            case .output(let e, _): visit(e)
            case .conditional(let branches, let otherwise):
                for branch in branches {
                    visit(branch.condition)
                    visit(branch.body)
                }
                if let otherwise { visit(otherwise) }
            case .loop(let loop):
                visit(loop.iterable)
                bound.append(Set(loop.targets).union(["loop"]))
                if let condition = loop.condition { visit(condition) }
                visit(loop.body)
                bound.removeLast()
                if let otherwise = loop.otherwise { visit(otherwise) }
            case .assign(let target, let value, let location):
                visit(value)
                switch target {
                case .names(let names): bound[bound.count - 1].formUnion(names)
                case .attribute(let namespace, _):
                    if !isBound(namespace) { references.append(TemplateReference(path: [namespace], line: location.line, column: location.column)) }
                }
            case .assignBlock(let name, let body, let filters):
                visit(body)
                for filter in filters { visit(filter) }
                bound[bound.count - 1].insert(name)
            case .filterBlock(let body, let filters):
                visit(body)
                for filter in filters { visit(filter) }
            case .macro(let macro):
                bound[bound.count - 1].insert(macro.name)
                for parameter in macro.parameters { if let d = parameter.defaultValue { visit(d) } }
                bound.append(Set(macro.parameters.map(\.name)))
                visit(macro.body)
                bound.removeLast()
            }
        }
    }

    private mutating func visit(_ filter: FilterCall) {
        for argument in filter.arguments { visit(argument) }
        for keyword in filter.keywords { visit(keyword.value) }
    }

    /// The static path of an access chain, or nil when it does not start at a plain name.
    private func path(_ expression: Expression) -> (root: String, path: [String], location: SourceLocation)? {
        switch expression {
        case .name(let name, let location):
            return (name, [name], location)
        case .attribute(let target, let attribute, _):
            guard var inner = path(target) else { return nil }
            inner.path.append(attribute)
            return inner
        case .item(let target, .literal(.string(let key)), _):
            guard var inner = path(target) else { return nil }
            inner.path.append(key)
            return inner
        default:
            return nil
        }
    }

    private mutating func record(_ expression: Expression, dropLast: Bool = false) -> Bool {
        guard let found = path(expression) else { return false }
        if isBound(found.root) { return true }
        var components = found.path
        if dropLast {
            components.removeLast()
            if components.isEmpty {
                // A call of a bare name: jinja2's globals are not references.
                if Builtin(rawValue: found.root) != nil { return true }
                components = [found.root]
            }
        }
        references.append(TemplateReference(path: components, line: found.location.line, column: found.location.column))
        return true
    }

    private mutating func visit(_ expression: Expression) {
        switch expression {
        case .name, .attribute:
            if !record(expression) { visitChildren(expression) }
        case .item(let target, let index, _):
            if case .literal(.string) = index, record(expression) { return }
            visit(target)
            visit(index)
        case .call(let callee, let arguments, let keywords, _):
            if path(callee) != nil {
                _ = record(callee, dropLast: true)
            } else {
                visit(callee)
            }
            for argument in arguments { visit(argument) }
            for keyword in keywords { visit(keyword.value) }
        default:
            visitChildren(expression)
        }
    }

    private mutating func visitChildren(_ expression: Expression) {
        switch expression {
        case .literal, .name: break
        case .list(let items), .tuple(let items): for item in items { visit(item) }
        case .dict(let items): for item in items { visit(item.key); visit(item.value) }
        case .attribute(let target, _, _): visit(target)
        case .item(let target, let index, _): visit(target); visit(index)
        case .slice(let target, let start, let stop, let step, _):
            visit(target)
            for part in [start, stop, step] { if let part { visit(part) } }
        case .negate(let e, _), .plus(let e, _), .not(let e): visit(e)
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b, _): visit(a); visit(b)
        case .compare(let first, let operations, _):
            visit(first)
            for operation in operations { visit(operation.operand) }
        case .conditional(let condition, let then, let otherwise):
            visit(condition); visit(then)
            if let otherwise { visit(otherwise) }
        case .filter(let target, let call): visit(target); visit(call)
        case .test(let target, _, let arguments, _, _):
            visit(target)
            for argument in arguments { visit(argument) }
        case .call(let callee, let arguments, let keywords, _):
            visit(callee)
            for argument in arguments { visit(argument) }
            for keyword in keywords { visit(keyword.value) }
        }
    }
}

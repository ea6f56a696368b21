/// Walks the statement tree once per render, appending to one output string.
///
/// Scopes follow jinja2: the context at the bottom, then one frame per loop iteration (so a
/// `{% set %}` inside a loop body is gone at the next iteration and after the loop, which is why
/// `namespace()` exists); `if` blocks do not open a scope.
struct Renderer {
    let template: Template
    let context: [String: Value]
    let strict: Bool
    var frames: [[String: RuntimeValue]] = [[:]]
    var output = ""

    init(template: Template, context: [String: Value]) {
        self.template = template
        self.context = context
        self.strict = template.undefined == .strict
        output.reserveCapacity(4096)
    }

    func error(_ message: String, at location: SourceLocation) -> TemplateError {
        TemplateError(name: template.name, line: location.line, column: location.column, message: message)
    }

    /// Whether using this undefined value is an error (strict mode, unless it is forgiving).
    func isStrict(_ undefined: Undefined) -> Bool { strict && !undefined.forgiving }

    /// The error an undefined value raises when it is used.
    func error(_ undefined: Undefined) -> TemplateError {
        error(undefined.message, at: undefined.location)
    }

    mutating func render(_ nodes: [Node]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression):
                let value = try evaluate(expression)
                try write(value)
            case .conditional(let branches, let otherwise):
                var taken = false
                for branch in branches where try truth(try evaluate(branch.condition)) {
                    try render(branch.body)
                    taken = true
                    break
                }
                if !taken, let otherwise { try render(otherwise) }
            case .loop(let loop):
                try renderLoop(loop)
            case .assign(let target, let expression, let location):
                let value = try evaluate(expression)
                try assign(value, to: target, at: location)
            case .assignBlock(let name, let body, let filters):
                let saved = output
                output = ""
                try render(body)
                var value = RuntimeValue.value(.string(output))
                output = saved
                for filter in filters { value = try applyFilter(filter, to: value) }
                frames[frames.count - 1][name] = value
            case .filterBlock(let body, let filters):
                let saved = output
                output = ""
                try render(body)
                var value = RuntimeValue.value(.string(output))
                output = saved
                for filter in filters { value = try applyFilter(filter, to: value) }
                try write(value)
            }
        }
    }

    /// Appends `str(value)`; an undefined prints as "" unless strict.
    mutating func write(_ value: RuntimeValue) throws(TemplateError) {
        switch value {
        case .value(.string(let s)): output += s
        case .value(let v): v.appendPythonString(to: &output)
        case .undefined(let u):
            if isStrict(u) { throw error(u) }
        default: output += try string(value)
        }
    }

    mutating func renderLoop(_ loop: Loop) throws(TemplateError) {
        let iterable = try evaluate(loop.iterable)
        var items = try iterate(iterable, at: loop.location)
        if let condition = loop.condition {
            var kept: [Value] = []
            for item in items {
                frames.append([:])
                try bind(loop.targets, to: item, at: loop.location)
                let keep = try truth(try evaluate(condition))
                frames.removeLast()
                if keep { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise { try render(otherwise) }
            return
        }
        var state = LoopState(index0: 0, items: items)
        for (index, item) in items.enumerated() {
            state.index0 = index
            frames.append(["loop": .loop(state)])
            defer { frames.removeLast() }
            try bind(loop.targets, to: item, at: loop.location)
            try render(loop.body)
        }
    }

    /// Binds loop or set targets, unpacking tuples as Python does.
    mutating func bind(_ targets: [String], to item: Value, at location: SourceLocation) throws(TemplateError) {
        if targets.count == 1 {
            frames[frames.count - 1][targets[0]] = .value(item)
            return
        }
        let parts: [Value]
        switch item {
        case .list(let list): parts = list
        case .string(let s): parts = s.unicodeScalars.map { .string(String($0)) }
        case .dict(let d) where d.keys == ["grouper", "list"]: parts = d.values
        case .dict(let d): parts = d.keys.map { .string($0) }
        default: throw error("cannot unpack non-iterable \(item.typeName) object", at: location)
        }
        guard parts.count == targets.count else {
            let message = parts.count > targets.count
                ? "too many values to unpack (expected \(targets.count))"
                : "not enough values to unpack (expected \(targets.count), got \(parts.count))"
            throw error(message, at: location)
        }
        for (name, part) in zip(targets, parts) { frames[frames.count - 1][name] = .value(part) }
    }

    mutating func assign(_ value: RuntimeValue, to target: AssignTarget, at location: SourceLocation) throws(TemplateError) {
        switch target {
        case .names(let names):
            if names.count == 1 {
                frames[frames.count - 1][names[0]] = value
            } else {
                try bind(names, to: try plain(value), at: location)
            }
        case .attribute(let namespace, let attribute):
            guard case .namespace(let object) = lookup(namespace, at: location) else {
                throw error("cannot assign attribute on non-namespace object '\(namespace)'", at: location)
            }
            object.attributes[attribute] = try plain(value)
        }
    }

    /// Looks a name up through the loop frames, then the context, then jinja2's globals.
    func lookup(_ name: String, at location: SourceLocation) -> RuntimeValue {
        var index = frames.count - 1
        while index >= 0 {
            if let value = frames[index][name] { return value }
            index -= 1
        }
        if let value = context[name] { return .value(value) }
        if let builtin = Builtin(rawValue: name) { return .builtin(builtin) }
        var candidates = Set(context.keys)
        for frame in frames { candidates.formUnion(frame.keys) }
        return .undefined(Undefined(message: "'\(name)' is undefined\(Suggestion.didYouMean(name, among: candidates.sorted()))", location: location))
    }
}

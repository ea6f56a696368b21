import Base
/// Walks the statement tree once per render, appending to one output string.
///
/// Scopes follow jinja2: the context at the bottom, then one frame per loop iteration (so a
/// `{% set %}` inside a loop body is gone at the next iteration and after the loop, which is why
/// `namespace()` exists); `if` blocks do not open a scope. Bindings live in one flat stack
/// searched from the top: templates bind few names, and comparing short strings is cheaper than
/// hashing them.
struct Renderer {
    let template: Template
    let context: [String: Value]
    let strict: Bool
    /// Every binding made by the template, innermost last.
    var bindings: [(name: String, value: RuntimeValue)] = []
    /// Where each open loop frame starts in `bindings`.
    var frameStarts: [Int] = [0]
    var output = ""
    /// Macro calls in progress (bounded: a macro may call itself).
    var depth = 0
    /// What the render has spent of its budget (shared with macro calls' copies).
    let meter: RenderMeter
    /// The run's secret tracker (nil when it has no secrets), and how many tainted values this
    /// render has read (see `Renderer+Taint.swift`).
    let taint: SecretTaint?
    let taintReads: TaintReads

    init(template: Template, context: [String: Value], budget: RenderBudget = RenderBudget.current) {
        self.template = template
        self.context = context
        self.strict = template.undefined == .strict
        self.meter = RenderMeter(budget: budget)
        self.taint = SecretTaint.current
        self.taintReads = TaintReads(taint)
        output.reserveCapacity(4096)
        bindings.reserveCapacity(16)
    }

    func error(_ message: String, at location: SourceLocation) -> TemplateError {
        TemplateError(name: template.name, line: location.line, column: location.column, message: message)
    }

    /// The error for a spent budget, naming the tag that spent it.
    func overBudget(_ tag: String, _ reason: String, at location: SourceLocation) -> TemplateError {
        error("'\(tag)' exceeds the render budget: \(reason)", at: location)
    }

    /// Counts one loop iteration or macro call against the budget.
    func step(_ tag: String, at location: SourceLocation) throws(TemplateError) {
        if let reason = meter.step() { throw overBudget(tag, reason, at: location) }
    }

    /// Checks a value an operator, filter or call built against the budget.
    func built(_ value: RuntimeValue, _ tag: String, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        if case .value(let v) = value, let reason = meter.built(v) { throw overBudget(tag, reason, at: location) }
        return value
    }

    /// Whether using this undefined value is an error (strict mode, unless it is forgiving).
    func isStrict(_ undefined: Undefined) -> Bool { strict && !undefined.forgiving }

    /// The error an undefined value raises when it is used.
    func error(_ undefined: Undefined) -> TemplateError {
        error(message(undefined), at: undefined.location)
    }

    mutating func render(_ nodes: [Node]) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .output(let expression, let location):
                let value = try evaluate(expression)
                try write(value)
                if let reason = meter.output(output.utf8.count) { throw overBudget("{{ }}", reason, at: location) }
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
                define(name, try capture(body, filters: filters))
            case .macro(let macro):
                define(macro.name, .macro(macro))
            case .filterBlock(let body, let filters):
                try write(try capture(body, filters: filters))
            }
        }
    }

    /// Renders `body` aside (`{% set x %}…{% endset %}`, `{% filter f %}…{% endfilter %}`) and
    /// returns its text passed through `filters`; the output so far is left as it was.
    mutating func capture(_ body: [Node], filters: [FilterCall]) throws(TemplateError) -> RuntimeValue {
        let saved = output
        output = ""
        meter.heldBytes += saved.utf8.count
        defer { meter.heldBytes -= saved.utf8.count }
        try render(body)
        let captured = output
        var value = RuntimeValue.value(.string(captured))
        output = saved
        for filter in filters { value = try applyFilter(filter, to: value) }
        if let taint, !filters.isEmpty, taintReads.patterns.contains(captured), case .value(let result) = value {
            taint.absorb(result)
            taintReads.patterns = taint.patterns
        }
        return value
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
                try step("{% for %}", at: loop.location)
                pushFrame()
                defer { popFrame() }
                try bind(loop.targets, to: item, at: loop.location)
                if try truth(try evaluate(condition)) { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise { try render(otherwise) }
            return
        }
        var state = LoopState(index0: 0, items: items)
        for (index, item) in items.enumerated() {
            try step("{% for %}", at: loop.location)
            if let reason = meter.output(output.utf8.count) { throw overBudget("{% for %}", reason, at: loop.location) }
            state.index0 = index
            pushFrame()
            defer { popFrame() }
            define("loop", .loop(state))
            try bind(loop.targets, to: item, at: loop.location)
            try render(loop.body)
        }
    }

    /// Binds loop or set targets, unpacking tuples as Python does.
    mutating func bind(_ targets: [String], to item: Value, at location: SourceLocation) throws(TemplateError) {
        if targets.count == 1 {
            define(targets[0], .value(item))
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
        for (name, part) in zip(targets, parts) { define(name, .value(part)) }
    }

    mutating func assign(_ value: RuntimeValue, to target: AssignTarget, at location: SourceLocation) throws(TemplateError) {
        switch target {
        case .names(let names):
            if names.count == 1 {
                define(names[0], value)
            } else {
                try bind(names, to: try plain(value), at: location)
            }
        case .attribute(let namespace, let attribute):
            guard case .namespace(let object) = lookup(namespace, at: location) else {
                throw error("cannot assign attribute on non-namespace object '\(namespace)'", at: location)
            }
            let plainValue = try plain(value)
            try checkNesting(plainValue, at: location)
            object.attributes[attribute] = plainValue
        }
    }

    /// The deepest nesting a value may reach. Values only nest deeper across loop iterations
    /// through a namespace attribute (`{% set ns.x = [ns.x] %}`) or across macro calls; printing,
    /// comparing and freeing them recurses, so they are bounded where they are kept.
    static let maxNesting = 1_000

    func checkNesting(_ value: Value, at location: SourceLocation) throws(TemplateError) {
        if value.nestingExceeds(Renderer.maxNesting) {
            throw error("a value nested deeper than \(Renderer.maxNesting) levels", at: location)
        }
    }

    mutating func pushFrame() { frameStarts.append(bindings.count) }

    mutating func popFrame() {
        bindings.removeLast(bindings.count - frameStarts[frameStarts.count - 1])
        frameStarts.removeLast()
    }

    /// Binds `name` in the innermost frame, replacing a binding the frame already has.
    mutating func define(_ name: String, _ value: RuntimeValue) {
        var index = bindings.count - 1
        let start = frameStarts[frameStarts.count - 1]
        while index >= start {
            if bindings[index].name == name {
                bindings[index].value = value
                return
            }
            index -= 1
        }
        bindings.append((name, value))
    }

    /// Looks a name up through the loop frames, then the context, then jinja2's globals.
    func lookup(_ name: String, at location: SourceLocation) -> RuntimeValue {
        var index = bindings.count - 1
        while index >= 0 {
            if bindings[index].name == name { return bindings[index].value }
            index -= 1
        }
        if let value = context[name] { return .value(value) }
        if let builtin = Builtin(rawValue: name) { return .builtin(builtin) }
        return .undefined(Undefined(reason: .name(name), location: location))
    }

    /// The words of an undefined value's error, with a did-you-mean among the names in scope.
    func message(_ undefined: Undefined) -> String {
        switch undefined.reason {
        case .text(let text):
            return text
        case .name(let name):
            var candidates = Set(context.keys)
            for binding in bindings { candidates.insert(binding.name) }
            return "'\(name)' is undefined\(Suggestion.hint(for: name, rule: .typo, in: candidates.sorted()))"
        case .key(let key, let dict, let path):
            return "'\(path ?? "dict object")' has no attribute '\(key)'\(Suggestion.hint(for: key, rule: .typo, in: dict.keys))"
        }
    }
}

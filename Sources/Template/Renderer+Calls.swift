/// Calls: jinja2's globals (`range`, `namespace`, `dict`, `raise_exception`), `loop.cycle`, and
/// the Python `str` and `dict` methods templates use (`.strip()`, `.items()`, `.get()`, ...).
extension Renderer {
    func call(_ callee: Expression, arguments: [Expression], keywords: [(name: String, value: Expression)], at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        var positional: [RuntimeValue] = []
        for argument in arguments { positional.append(try evaluate(argument)) }
        var named: [String: RuntimeValue] = [:]
        for keyword in keywords { named[keyword.name] = try evaluate(keyword.value) }
        let args = FilterArguments(positional: positional, keywords: named)

        if case .attribute(let targetExpression, let method, let methodLocation) = callee {
            let target = try evaluate(targetExpression)
            if case .value(let value) = target, let result = try callMethod(value, method, args, at: methodLocation) {
                return result
            }
            if case .undefined(let u) = target { throw error(u) }
        }
        let function = try evaluate(callee)
        switch function {
        case .builtin(let builtin):
            return try callBuiltin(builtin, args, at: location)
        case .macro(let macro):
            return try call(macro, args, at: location)
        case .loopCycle(let state):
            guard !positional.isEmpty else { throw error("no items for cycling given", at: location) }
            return positional[state.index0 % positional.count]
        case .undefined(let u):
            throw error(u)
        case .value(let v):
            throw error("'\(v.typeName)' object is not callable", at: location)
        default:
            throw error("object is not callable", at: location)
        }
    }

    /// Renders a macro's body with its parameters bound. The body sees the template's top-level
    /// names and the context, not the caller's loop variables (jinja2's lexical scoping).
    func call(_ macro: Macro, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        guard args.positional.count <= macro.parameters.count else {
            throw error("macro '\(macro.name)' takes \(macro.parameters.count) arguments, \(args.positional.count) given", at: location)
        }
        for name in args.keywords.keys where !macro.parameters.contains(where: { $0.name == name }) {
            throw error("macro '\(macro.name)' has no parameter '\(name)'", at: location)
        }
        try step("\(macro.name)()", at: location)
        var inner = self
        inner.bindings = Array(bindings[0..<(frameStarts.count > 1 ? frameStarts[1] : bindings.count)])
        inner.frameStarts = [0]
        inner.output = ""
        meter.heldBytes += output.utf8.count
        defer { meter.heldBytes -= output.utf8.count }
        inner.depth += 1
        guard inner.depth <= 100 else { throw error("macro calls nested deeper than 100 levels", at: location) }
        inner.pushFrame()
        for argument in args.positional { if case .value(let v) = argument { try checkNesting(v, at: location) } }
        for (index, parameter) in macro.parameters.enumerated() {
            if index < args.positional.count {
                inner.define(parameter.name, args.positional[index])
            } else if let value = args.keywords[parameter.name] {
                inner.define(parameter.name, value)
            } else if let defaultValue = parameter.defaultValue {
                inner.define(parameter.name, try inner.evaluate(defaultValue))
            } else {
                inner.define(parameter.name, .undefined(Undefined(message: "parameter '\(parameter.name)' was not provided", location: location)))
            }
        }
        try inner.render(macro.body)
        return .value(.string(inner.output))
    }

    func callBuiltin(_ builtin: Builtin, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        switch builtin {
        case .raiseException:
            let message = try args.positional.first.map { m throws(TemplateError) in try string(m) } ?? ""
            throw error(message, at: location)
        case .namespace, .dict:
            var attributes = ValueDictionary()
            if let first = args.positional.first, case .dict(let d) = try plain(first) { attributes = d }
            for (key, value) in args.keywords.sorted(by: { $0.key < $1.key }) { attributes[key] = try plain(value) }
            if builtin == .dict { return .value(.dict(attributes)) }
            let namespace = Namespace()
            namespace.attributes = attributes
            return .namespace(namespace)
        case .range:
            var bounds: [Int] = []
            for value in args.positional {
                guard let i = intIndex(try plain(value)) else { throw error("range() takes integers", at: location) }
                bounds.append(i)
            }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default: throw error("range expected 1 to 3 arguments, got \(bounds.count)", at: location)
            }
            guard step != 0 else { throw error("range() arg 3 must not be zero", at: location) }
            // In 128 bits: `stop - start` of two 64-bit integers cannot overflow there.
            let span = step > 0 ? Int128(stop) - Int128(start) : Int128(start) - Int128(stop)
            let stride = Int128(step).magnitude
            let wide = span <= 0 ? 0 : (UInt128(span) + stride - 1) / stride
            let limit = Swift.min(100_000, meter.budget.items)
            guard wide <= UInt128(limit) else { throw error("range too big (\(wide) items; the limit is \(limit))", at: location) }
            let count = Int(wide)
            var items: [Value] = []
            items.reserveCapacity(count)
            var value = start
            for index in 0..<count {
                items.append(.int(value))
                // The last value is inside the range; only the step past it could overflow.
                if index + 1 < count { value = value &+ step }
            }
            return .value(.list(items))
        }
    }

    /// A `str` or `dict` method; nil when the value has no such method (then it is an
    /// attribute call, which fails as "not callable").
    func callMethod(_ value: Value, _ method: String, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue? {
        switch value {
        case .string(let s):
            func text(_ i: Int, _ name: String) throws(TemplateError) -> String? {
                guard let v = args.get(i, name) else { return nil }
                let p = try plain(v)
                if case .none = p { return nil }
                return p.pythonString
            }
            switch method {
            case "strip", "lstrip", "rstrip":
                return .value(.string(PythonString.strip(s, chars: try text(0, "chars"), leading: method != "rstrip", trailing: method != "lstrip")))
            case "upper": return .value(.string(s.uppercased()))
            case "lower": return .value(.string(s.lowercased()))
            case "title": return .value(.string(PythonString.pythonTitle(s)))
            case "capitalize": return .value(.string(PythonString.capitalize(s)))
            case "startswith", "endswith":
                guard let first = args.positional.first else { throw error("\(method)() takes at least 1 argument (0 given)", at: location) }
                let candidates: [Value]
                switch try plain(first) {
                case .list(let l): candidates = l
                case let v: candidates = [v]
                }
                for candidate in candidates {
                    guard case .string(let affix) = candidate else { throw error("\(method) first arg must be str or a tuple of str, not \(candidate.typeName)", at: location) }
                    let hit = method == "startswith" ? s.unicodeScalars.starts(with: affix.unicodeScalars)
                        : s.unicodeScalars.reversed().starts(with: affix.unicodeScalars.reversed())
                    if hit { return .value(.bool(true)) }
                }
                return .value(.bool(false))
            case "split":
                let separator = try text(0, "sep")
                if separator == "" { throw error("empty separator", at: location) }
                let maxSplit = try intArgument(args, 1, "maxsplit", default: -1, at: location)
                return .value(.list(PythonString.split(s, separator: separator, maxSplit: maxSplit).map { .string($0) }))
            case "splitlines":
                return .value(.list(PythonString.splitlines(s).map { .string($0) }))
            case "replace":
                guard let old = try text(0, "old"), let new = try text(1, "new") else { throw error("replace() needs old and new", at: location) }
                return .value(.string(try replace(s, old, new, count: try intArgument(args, 2, "count", default: -1, at: location), at: location)))
            case "join":
                guard let first = args.positional.first else { throw error("join() takes exactly one argument", at: location) }
                return .value(.string(try join(try iterate(first, at: location), separator: s, at: location)))
            case "format":
                var positional: [Value] = []
                for v in args.positional { positional.append(try plain(v)) }
                var keywords: [String: Value] = [:]
                for (k, v) in args.keywords { keywords[k] = try plain(v) }
                return .value(.string(try PythonFormat.format(s, positional, keywords, at: location, renderer: self)))
            case "count":
                guard let sub = try text(0, "sub") else { throw error("count() takes at least 1 argument", at: location) }
                if sub.isEmpty { return .value(.int(s.unicodeScalars.count + 1)) }
                return .value(.int(PythonString.split(s, separator: sub, maxSplit: -1).count - 1))
            default: return nil
            }
        case .dict(let d):
            switch method {
            case "items": return .value(.list(zip(d.keys, d.values).map { .list([.string($0), $1]) }))
            case "keys": return .value(.list(d.keys.map { .string($0) }))
            case "values": return .value(.list(d.values))
            case "get":
                guard let key = args.positional.first else { throw error("get expected at least 1 argument, got 0", at: location) }
                if let found = d[try dictKey(try plain(key))] { return .value(found) }
                return .value(args.positional.count > 1 ? try plain(args.positional[1]) : .none)
            default: return nil
            }
        default:
            return nil
        }
    }
}

/// `str.format`: `{}`, `{0}`, `{name}`, format specs (`{:,.2f}`), `{{` and `}}`.
enum PythonFormat {
    static func format(_ s: String, _ positional: [Value], _ keywords: [String: Value], at location: SourceLocation, renderer: Renderer) throws(TemplateError) -> String {
        var out = ""
        var auto = 0
        var iterator = s.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            if c == "{" {
                var field = ""
                var closed = false
                while let n = iterator.next() {
                    if n == "{" && field.isEmpty { out += "{"; closed = true; field = "\u{0}"; break }
                    if n == "}" { closed = true; break }
                    field.unicodeScalars.append(n)
                }
                if field == "\u{0}" { continue }
                guard closed else { throw renderer.error("Single '{' encountered in format string", at: location) }
                var spec: String?
                if let colon = field.firstIndex(of: ":") {
                    spec = String(field[field.index(after: colon)...])
                    field = String(field[..<colon])
                }
                let value: Value?
                if field.isEmpty { value = auto < positional.count ? positional[auto] : nil; auto += 1 }
                else if let i = Int(field) { value = i < positional.count ? positional[i] : nil }
                else { value = keywords[field] }
                guard let value else { throw renderer.error("format field '\(field)' has no value", at: location) }
                if let spec {
                    do { out += try PythonFormatSpec.apply(value, spec, maxBytes: renderer.meter.budget.outputBytes) } catch { throw renderer.error(error.message, at: location) }
                } else {
                    out += value.pythonString
                }
            } else if c == "}" {
                _ = iterator.next()
                out += "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

import Base
/// Expression evaluation: names, literals, access, operators, calls.
extension Renderer {
    /// Evaluates one expression (`evaluate` adds secret tracking around this when a run has secrets).
    func evaluateExpression(_ expression: Expression) throws(TemplateError) -> RuntimeValue {
        switch expression {
        case .literal(let value):
            return .value(value)
        case .name(let name, let location):
            return lookup(name, at: location)
        case .list(let items), .tuple(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try plain(try evaluate(item))) }
            return .value(.list(values))
        case .dict(let items):
            var dict = ValueDictionary()
            for item in items {
                let key = try plain(try evaluate(item.key))
                dict[try dictKey(key)] = try plain(try evaluate(item.value))
            }
            return .value(.dict(dict))
        case .attribute(let target, let attribute, let location):
            return named(try self.attribute(try evaluate(target), attribute, at: location), owner: target)
        case .item(let target, let index, let location):
            return named(try item(try evaluate(target), try evaluate(index), at: location), owner: target)
        case .slice(let target, let start, let stop, let step, let location):
            return try slice(try evaluate(target), start: start, stop: stop, step: step, at: location)
        case .negate(let operand, let location):
            switch try plain(try evaluate(operand), at: location) {
            case .int(let i):
                guard let negated = PythonInteger.negate(i) else { throw error("integer overflow in unary -: \(i) has no negation in 64 bits", at: location) }
                return .value(.int(negated))
            case .double(let d): return .value(.double(-d))
            case .bool(let b): return .value(.int(b ? -1 : 0))
            case let other: throw error("bad operand type for unary -: '\(other.typeName)'", at: location)
            }
        case .plus(let operand, let location):
            let value = try plain(try evaluate(operand), at: location)
            guard value.number != nil else { throw error("bad operand type for unary +: '\(value.typeName)'", at: location) }
            return .value(value)
        case .not(let operand):
            return .value(.bool(!(try truth(try evaluate(operand)))))
        case .and(let left, let right):
            let l = try evaluate(left)
            return try truth(l) ? try evaluate(right) : l
        case .or(let left, let right):
            let l = try evaluate(left)
            return try truth(l) ? l : try evaluate(right)
        case .binary(let op, let left, let right, let location):
            return try built(try binary(op, try evaluate(left), try evaluate(right), at: location), op.rawValue, at: location)
        case .compare(let first, let operations, let location):
            var left = try evaluate(first)
            for operation in operations {
                let right = try evaluate(operation.operand)
                guard try compare(operation.op, left, right, at: location) else { return .value(.bool(false)) }
                left = right
            }
            return .value(.bool(true))
        case .conditional(let condition, let then, let otherwise):
            if try truth(try evaluate(condition)) { return try evaluate(then) }
            if let otherwise { return try evaluate(otherwise) }
            return .undefined(Undefined(message: "the inline if-expression on line \(conditionLine(condition)) evaluated to false and no else section was defined.", location: SourceLocation(line: conditionLine(condition), column: 1), forgiving: true))
        case .filter(let target, let call):
            return try built(try applyFilter(call, to: try evaluate(target)), "|\(call.filter.rawValue)", at: call.location)
        case .test(let target, let test, let arguments, let negated, let location):
            var values: [RuntimeValue] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            let result = try apply(test, to: try evaluate(target), arguments: values, at: location)
            return .value(.bool(result != negated))
        case .call(let callee, let arguments, let keywords, let location):
            return try built(try call(callee, arguments: arguments, keywords: keywords, at: location), "call", at: location)
        }
    }

    /// Names the owner in a missing-attribute message when it is a static path, so the error
    /// reads `'steps.copy' has no attribute 'outptu'` instead of `'dict object' has no ...`.
    func named(_ result: RuntimeValue, owner: Expression) -> RuntimeValue {
        guard case .undefined(var undefined) = result, case .key(let key, let dict, nil) = undefined.reason else { return result }
        undefined.reason = .key(key, of: dict, path: Renderer.staticPath(owner))
        return .undefined(undefined)
    }

    /// `a.b['c']` as text, for messages; nil for anything but names, attributes and constant keys.
    static func staticPath(_ expression: Expression) -> String? {
        switch expression {
        case .name(let name, _): return name
        case .attribute(let target, let name, _): return staticPath(target).map { "\($0).\(name)" }
        case .item(let target, .literal(.string(let key)), _): return staticPath(target).map { "\($0).\(key)" }
        case .item(let target, .literal(.int(let index)), _): return staticPath(target).map { "\($0)[\(index)]" }
        default: return nil
        }
    }

    private func conditionLine(_ expression: Expression) -> Int {
        switch expression {
        case .name(_, let l), .attribute(_, _, let l), .item(_, _, let l), .call(_, _, _, let l), .compare(_, _, let l), .test(_, _, _, _, let l): return l.line
        default: return 1
        }
    }

    /// Python's truthiness; using a strict undefined here is an error.
    func truth(_ value: RuntimeValue) throws(TemplateError) -> Bool {
        switch value {
        case .value(let v): return v.isTruthy
        case .undefined(let u):
            if isStrict(u) { throw error(u) }
            return false
        default: return true
        }
    }

    /// The plain value of a runtime value; an undefined is an error when strict and "" when
    /// lenient (jinja2's `Undefined` prints, iterates and measures as an empty string).
    func plain(_ value: RuntimeValue, at location: SourceLocation? = nil) throws(TemplateError) -> Value {
        switch value {
        case .value(let v): return v
        case .undefined(let u):
            if isStrict(u) { throw error(u) }
            return .string("")
        case .namespace(let n): return .dict(n.attributes)
        case .loop(let state):
            return ["index": .int(state.index0 + 1), "index0": .int(state.index0), "length": .int(state.length)]
        case .builtin(let b): return .string("<built-in function \(b.rawValue)>")
        case .macro(let m): return .string("<Macro '\(m.name)'>")
        case .loopCycle: return .string("<bound method LoopContext.cycle>")
        }
    }

    /// `str(value)`, as `~`, `string` and `join` produce it.
    func string(_ value: RuntimeValue) throws(TemplateError) -> String {
        switch value {
        case .value(let v): return v.pythonString
        case .namespace(let n): return "<Namespace \(Value.dict(n.attributes).pythonRepr)>"
        case .loop: return "<LoopContext>"
        default: return try plain(value).pythonString
        }
    }

    /// The items a `for` loop or a filter iterates: list items, dict keys, string characters.
    func iterate(_ value: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> [Value] {
        switch try plain(value) {
        case .list(let items): return items
        case .dict(let d): return d.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case let other: throw error("'\(other.typeName)' object is not iterable", at: location)
        }
    }

    func dictKey(_ key: Value) throws(TemplateError) -> String {
        switch key {
        case .string(let s): return s
        default: return key.pythonString
        }
    }

    /// `a.b`: jinja2 tries the attribute, then the item.
    func attribute(_ target: RuntimeValue, _ name: String, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        switch target {
        case .value(.dict(let d)):
            if let v = d[name] { return .value(v) }
            return missing(.dict(d), name, at: location)
        case .value(let v):
            return missing(v, name, at: location)
        case .undefined(let u):
            throw error(u)
        case .namespace(let n):
            if let v = n.attributes[name] { return .value(v) }
            return .undefined(Undefined(message: "'Namespace object' has no attribute '\(name)'\(Suggestion.hint(for: name, rule: .typo, in: n.attributes.keys))", location: location))
        case .loop(let state):
            return try loopAttribute(state, name, at: location)
        case .builtin(let b):
            return .undefined(Undefined(message: "'builtin_function_or_method object' has no attribute '\(name)' (on '\(b.rawValue)')", location: location))
        case .loopCycle:
            return .undefined(Undefined(message: "'method object' has no attribute '\(name)'", location: location))
        case .macro(let m):
            return .undefined(Undefined(message: "'Macro object' has no attribute '\(name)' (on '\(m.name)')", location: location))
        }
    }

    func missing(_ target: Value, _ name: String, at location: SourceLocation) -> RuntimeValue {
        if case .dict(let dict) = target { return .undefined(Undefined(reason: .key(name, of: dict, path: nil), location: location)) }
        return .undefined(Undefined(message: "'\(target.typeName) object' has no attribute '\(name)'", location: location))
    }

    func loopAttribute(_ state: LoopState, _ name: String, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        let i = state.index0
        switch name {
        case "index": return .value(.int(i + 1))
        case "index0": return .value(.int(i))
        case "revindex": return .value(.int(state.length - i))
        case "revindex0": return .value(.int(state.length - i - 1))
        case "first": return .value(.bool(i == 0))
        case "last": return .value(.bool(i == state.length - 1))
        case "length": return .value(.int(state.length))
        case "depth": return .value(.int(1))
        case "depth0": return .value(.int(0))
        case "previtem":
            if i > 0 { return .value(state.items[i - 1]) }
            return .undefined(Undefined(message: "there is no previous item", location: location))
        case "nextitem":
            if i + 1 < state.length { return .value(state.items[i + 1]) }
            return .undefined(Undefined(message: "there is no next item", location: location))
        case "cycle": return .loopCycle(state)
        default:
            let names = ["index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0", "previtem", "nextitem", "cycle"]
            return .undefined(Undefined(message: "'LoopContext object' has no attribute '\(name)'\(Suggestion.hint(for: name, rule: .typo, in: names))", location: location))
        }
    }

    /// `a[b]`: jinja2 tries the item, then (for a string key) the attribute.
    func item(_ target: RuntimeValue, _ index: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        if case .undefined(let u) = target { throw error(u) }
        let key = try plain(index, at: location)
        switch target {
        case .value(.dict(let d)):
            let name = try dictKey(key)
            if let v = d[name] { return .value(v) }
            return missing(.dict(d), name, at: location)
        case .value(.list(let list)):
            guard let position = intIndex(key) else {
                if case .string(let name) = key { return missing(.list(list), name, at: location) }
                throw error("list indices must be integers or slices, not \(key.typeName)", at: location)
            }
            let resolved = position < 0 ? position + list.count : position
            guard resolved >= 0, resolved < list.count else {
                return .undefined(Undefined(message: "'list object' has no element \(position)", location: location))
            }
            return .value(list[resolved])
        case .value(.string(let s)):
            guard let position = intIndex(key) else {
                if case .string(let name) = key { return missing(.string(s), name, at: location) }
                throw error("string indices must be integers, not '\(key.typeName)'", at: location)
            }
            let scalars = Array(s.unicodeScalars)
            let resolved = position < 0 ? position + scalars.count : position
            guard resolved >= 0, resolved < scalars.count else {
                return .undefined(Undefined(message: "'str object' has no element \(position)", location: location))
            }
            return .value(.string(String(scalars[resolved])))
        case .value(let v):
            return .undefined(Undefined(message: "'\(v.typeName) object' has no element \(key.pythonRepr)", location: location))
        default:
            if case .string(let name) = key { return try attribute(target, name, at: location) }
            throw error("object is not subscriptable", at: location)
        }
    }

    func intIndex(_ key: Value) -> Int? {
        switch key {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    func slice(_ target: RuntimeValue, start: Expression?, stop: Expression?, step: Expression?, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        func bound(_ e: Expression?) throws(TemplateError) -> Int? {
            guard let e else { return nil }
            let v = try plain(try evaluate(e), at: location)
            if case .none = v { return nil }
            guard let i = intIndex(v) else { throw error("slice indices must be integers or None", at: location) }
            return i
        }
        let (a, b, c) = (try bound(start), try bound(stop), try bound(step))
        if c == 0 { throw error("slice step cannot be zero", at: location) }
        switch try plain(target, at: location) {
        case .list(let list):
            return .value(.list(PythonSlice.indices(count: list.count, start: a, stop: b, step: c).map { list[$0] }))
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            var out = String.UnicodeScalarView()
            for i in PythonSlice.indices(count: scalars.count, start: a, stop: b, step: c) { out.append(scalars[i]) }
            return .value(.string(String(out)))
        case let other:
            throw error("'\(other.typeName)' object is not subscriptable", at: location)
        }
    }
}

/// Python's slice semantics (`list[a:b:c]` with negative and missing bounds).
enum PythonSlice {
    static func indices(count: Int, start: Int?, stop: Int?, step: Int?) -> [Int] {
        let step = step ?? 1
        func clamp(_ value: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var v = value else { return defaultValue }
            if v < 0 { v += count }
            return Swift.min(Swift.max(v, low), high)
        }
        var result: [Int] = []
        if step > 0 {
            let a = clamp(start, 0, low: 0, high: count), b = clamp(stop, count, low: 0, high: count)
            var i = a
            while i < b {
                result.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            let a = clamp(start, count - 1, low: -1, high: count - 1), b = clamp(stop, -1, low: -1, high: count - 1)
            var i = a
            while i > b {
                result.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return result
    }
}

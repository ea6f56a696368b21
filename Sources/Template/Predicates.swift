import Foundation

/// jinja2's tests (`x is defined`, `n is even`, `items is sequence`, ...).
enum TestName: String, CaseIterable, Sendable {
    case defined, undefined, none, boolean, `true`, `false`, integer, float, number, string
    case mapping, sequence, iterable, callable, odd, even, divisibleby, lower, upper
    case sameas, `in`, eq, ne, lt, le, gt, ge, filter, test, escaped

    /// jinja2's alternative names (`equalto`, `==`, `greaterthan`, ...).
    static func alias(_ word: String) -> TestName? {
        switch word {
        case "equalto": return .eq
        case "greaterthan": return .gt
        case "lessthan": return .lt
        default: return nil
        }
    }
}

extension Renderer {
    /// Applies a test; only `defined`/`undefined` (and `none`-like type tests, which are false)
    /// accept an undefined value without touching it.
    func apply(_ test: TestName, to value: RuntimeValue, arguments: [RuntimeValue], at location: SourceLocation) throws(TemplateError) -> Bool {
        switch test {
        case .defined: return !value.isUndefined
        case .undefined: return value.isUndefined
        case .callable:
            switch value {
            case .builtin, .loopCycle, .macro: return true
            default: return false
            }
        case .filter:
            guard case .value(.string(let s)) = value else { return false }
            return FilterName.lookup(s) != nil
        case .test:
            guard case .value(.string(let s)) = value else { return false }
            return TestName(rawValue: s) != nil || TestName.alias(s) != nil
        default: break
        }
        if case .undefined(let u) = value {
            // Type tests on an undefined are simply false in jinja2 (even strict: isinstance
            // does not touch the value); value tests use it and fail when strict.
            switch test {
            case .none, .boolean, .true, .false, .integer, .float, .number, .string, .mapping, .sequence, .escaped:
                return false
            case .iterable:
                return true
            default:
                if isStrict(u) { throw error(u) }
            }
        }
        let v = try plain(value)
        func argument(_ index: Int) throws(TemplateError) -> RuntimeValue {
            guard index < arguments.count else { throw error("test '\(test.rawValue)' needs an argument", at: location) }
            return arguments[index]
        }
        switch test {
        case .none: if case .none = v { return true } else { return false }
        case .boolean: if case .bool = v { return true } else { return false }
        case .true: return v == .bool(true)
        case .false: return v == .bool(false)
        case .integer: if case .int = v { return true } else { return false }
        case .float: if case .double = v { return true } else { return false }
        case .number: return v.number != nil
        case .string: return v.string != nil
        case .mapping:
            if case .namespace = value { return false }
            return v.dict != nil
        case .sequence, .iterable:
            switch v {
            case .string, .list, .dict: return true
            default: return false
            }
        case .odd, .even:
            guard let i = intIndex(v) else {
                if case .double(let d) = v, d.rounded() == d { return (fmod(d, 2) != 0) == (test == .odd) }
                throw error("test '\(test.rawValue)' needs an integer, not \(v.typeName)", at: location)
            }
            return (i % 2 != 0) == (test == .odd)
        case .divisibleby:
            guard let i = intIndex(v), let n = intIndex(try plain(try argument(0))), n != 0 else {
                throw error("test 'divisibleby' needs integers and a non-zero divisor", at: location)
            }
            return PythonInteger.modulo(i, n) == 0
        case .lower:
            guard let s = v.string else { return false }
            return s == s.lowercased() && s != s.uppercased()
        case .upper:
            guard let s = v.string else { return false }
            return s == s.uppercased() && s != s.lowercased()
        case .sameas:
            let other = try plain(try argument(0))
            switch (v, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            default: return false
            }
        case .in: return try contains(try argument(0), value, at: location)
        case .eq: return try compare(.equal, value, try argument(0), at: location)
        case .ne: return try compare(.notEqual, value, try argument(0), at: location)
        case .lt: return try compare(.less, value, try argument(0), at: location)
        case .le: return try compare(.lessEqual, value, try argument(0), at: location)
        case .gt: return try compare(.greater, value, try argument(0), at: location)
        case .ge: return try compare(.greaterEqual, value, try argument(0), at: location)
        case .escaped: return false
        case .defined, .undefined, .callable, .filter, .test: return false
        }
    }
}

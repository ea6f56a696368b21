import Foundation

/// Arithmetic and comparisons with Python's rules: int stays int until `/`, `//` and `%` floor
/// toward negative infinity, `True == 1`, strings compare by code point.
extension Renderer {
    func binary(_ op: BinaryOperator, _ lhs: RuntimeValue, _ rhs: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        if op == .concat {
            return .value(.string(try concatPart(lhs) + concatPart(rhs)))
        }
        // jinja2's Undefined raises on arithmetic even when lenient.
        if case .undefined(let u) = lhs { throw error(u) }
        if case .undefined(let u) = rhs { throw error(u) }
        let a = try plain(lhs), b = try plain(rhs)
        func unsupported() -> TemplateError {
            error("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'", at: location)
        }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .value(.string(x + y))
        case (.add, .list(let x), .list(let y)): return .value(.list(x + y))
        case (.multiply, .string(let s), _), (.multiply, _, .string(let s)):
            guard let n = intIndex(a.string == nil ? a : b) else { throw error("can't multiply sequence by non-int of type '\((a.string == nil ? a : b).typeName)'", at: location) }
            return .value(.string(String(repeating: s, count: max(0, n))))
        case (.multiply, .list(let l), _), (.multiply, _, .list(let l)):
            guard let n = intIndex(a.list == nil ? a : b) else { throw error("can't multiply sequence by non-int", at: location) }
            return .value(.list(Array([[Value]](repeating: l, count: max(0, n)).joined())))
        default: break
        }
        if op == .modulo, case .string(let format) = a {
            let arguments: [Value]
            switch b {
            case .list(let items): arguments = items
            default: arguments = [b]
            }
            do {
                return .value(.string(try PythonPercentFormat.format(format, arguments, named: b.dict)))
            } catch {
                throw self.error(error.message, at: location)
            }
        }
        guard let x = a.number, let y = b.number else { throw unsupported() }
        let xi = intIndex(a), yi = intIndex(b)
        switch op {
        case .add, .subtract, .multiply:
            if let xi, let yi {
                let (result, overflow) = op == .add ? xi.addingReportingOverflow(yi)
                    : op == .subtract ? xi.subtractingReportingOverflow(yi) : xi.multipliedReportingOverflow(by: yi)
                if overflow { throw error("integer overflow in \(op.rawValue)", at: location) }
                return .value(.int(result))
            }
            return .value(.double(op == .add ? x + y : op == .subtract ? x - y : x * y))
        case .divide:
            if y == 0 { throw error("division by zero", at: location) }
            return .value(.double(x / y))
        case .floorDivide:
            if y == 0 { throw error("integer division or modulo by zero", at: location) }
            if let xi, let yi {
                var q = xi / yi
                if (xi % yi != 0) && ((xi < 0) != (yi < 0)) { q -= 1 }
                return .value(.int(q))
            }
            return .value(.double((x / y).rounded(.down)))
        case .modulo:
            if y == 0 { throw error("integer division or modulo by zero", at: location) }
            if let xi, let yi {
                let r = xi % yi
                return .value(.int(r != 0 && ((r < 0) != (yi < 0)) ? r + yi : r))
            }
            var r = fmod(x, y)
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .value(.double(r))
        case .power:
            if let xi, let yi, yi >= 0 {
                var result = 1
                for _ in 0..<yi {
                    let (next, overflow) = result.multipliedReportingOverflow(by: xi)
                    if overflow { throw error("integer overflow in **", at: location) }
                    result = next
                }
                return .value(.int(result))
            }
            return .value(.double(pow(x, y)))
        case .concat:
            return .value(.none)
        }
    }

    /// `str()` of one side of `~`; a lenient undefined is "".
    private func concatPart(_ value: RuntimeValue) throws(TemplateError) -> String {
        if case .undefined(let u) = value {
            if isStrict(u) { throw error(u) }
            return ""
        }
        return try string(value)
    }

    func compare(_ op: CompareOperator, _ lhs: RuntimeValue, _ rhs: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> Bool {
        switch op {
        case .equal, .notEqual:
            let equal: Bool
            switch (lhs, rhs) {
            case (.undefined(let u), _), (_, .undefined(let u)):
                if isStrict(u) { throw error(u) }
                equal = lhs.isUndefined && rhs.isUndefined
            default:
                equal = Value.pythonEqual(try plain(lhs), try plain(rhs))
            }
            return op == .equal ? equal : !equal
        case .contains, .notContains:
            let found = try contains(rhs, lhs, at: location)
            return op == .contains ? found : !found
        default:
            if case .undefined(let u) = lhs { throw error(u) }
            if case .undefined(let u) = rhs { throw error(u) }
            let a = try plain(lhs), b = try plain(rhs)
            guard let order = Value.pythonCompare(a, b) else {
                throw error("'\(op.rawValue)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'", at: location)
            }
            switch op {
            case .less: return order < 0
            case .lessEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        }
    }

    /// Python's `needle in container`.
    func contains(_ container: RuntimeValue, _ needle: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> Bool {
        if case .undefined(let u) = container {
            if isStrict(u) { throw error(u) }
            return false
        }
        let n = try plain(needle)
        switch try plain(container) {
        case .string(let s):
            guard case .string(let sub) = n else { throw error("'in <string>' requires string as left operand, not \(n.typeName)", at: location) }
            return sub.isEmpty || s.contains(sub)
        case .list(let items): return items.contains { Value.pythonEqual($0, n) }
        case .dict(let d):
            guard case .string(let key) = n else { return false }
            return d[key] != nil
        case let other: throw error("argument of type '\(other.typeName)' is not iterable", at: location)
        }
    }
}

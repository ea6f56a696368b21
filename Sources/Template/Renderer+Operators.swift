import Foundation

/// Arithmetic and comparisons with Python's rules: int stays int until `/`, `//` and `%` floor
/// toward negative infinity, `True == 1`, strings compare by code point.
extension Renderer {
    func binary(_ op: BinaryOperator, _ lhs: RuntimeValue, _ rhs: RuntimeValue, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        if op == .concat {
            let left = try concatPart(lhs), right = try concatPart(rhs)
            if let reason = meter.string(left.utf8.count + right.utf8.count) { throw overBudget("~", reason, at: location) }
            return .value(.string(left + right))
        }
        // jinja2's Undefined raises on arithmetic even when lenient.
        if case .undefined(let u) = lhs { throw error(u) }
        if case .undefined(let u) = rhs { throw error(u) }
        let a = try plain(lhs), b = try plain(rhs)
        func unsupported() -> TemplateError {
            error("unsupported operand type(s) for \(op.rawValue): '\(a.typeName)' and '\(b.typeName)'", at: location)
        }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            if let reason = meter.string(x.utf8.count + y.utf8.count) { throw overBudget("+", reason, at: location) }
            return .value(.string(x + y))
        case (.add, .list(let x), .list(let y)):
            if let reason = meter.list(x.count + y.count) { throw overBudget("+", reason, at: location) }
            return .value(.list(x + y))
        case (.multiply, .string(let s), _), (.multiply, _, .string(let s)):
            let count = a.string == nil ? a : b
            guard let n = intIndex(count) else { throw error("can't multiply sequence by non-int of type '\(count.typeName)'", at: location) }
            guard n > 0, !s.isEmpty else { return .value(.string("")) }
            let (bytes, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
            if let reason = meter.string(overflow ? Int.max : bytes) { throw overBudget("*", reason, at: location) }
            return .value(.string(String(repeating: s, count: n)))
        case (.multiply, .list(let l), _), (.multiply, _, .list(let l)):
            guard let n = intIndex(a.list == nil ? a : b) else { throw error("can't multiply sequence by non-int", at: location) }
            guard n > 0, !l.isEmpty else { return .value(.list([])) }
            let (count, overflow) = l.count.multipliedReportingOverflow(by: n)
            if let reason = meter.list(overflow ? Int.max : count) { throw overBudget("*", reason, at: location) }
            var items: [Value] = []
            items.reserveCapacity(count)
            for _ in 0..<n { items.append(contentsOf: l) }
            return .value(.list(items))
        default: break
        }
        if op == .modulo, case .string(let format) = a {
            let arguments: [Value]
            switch b {
            case .list(let items): arguments = items
            default: arguments = [b]
            }
            do {
                return .value(.string(try PythonPercentFormat.format(format, arguments, named: b.dict, maxBytes: meter.budget.outputBytes)))
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
            if y == 0 { throw error(xi != nil && yi != nil ? "division by zero" : "float division by zero", at: location) }
            return .value(.double(x / y))
        case .floorDivide:
            if let xi, let yi {
                if yi == 0 { throw error("integer division or modulo by zero", at: location) }
                guard let q = PythonInteger.floorDivide(xi, yi) else { throw error("integer overflow in //: the result does not fit in 64 bits", at: location) }
                return .value(.int(q))
            }
            if y == 0 { throw error("float floor division by zero", at: location) }
            return .value(.double((x / y).rounded(.down)))
        case .modulo:
            if let xi, let yi {
                if yi == 0 { throw error("integer division or modulo by zero", at: location) }
                return .value(.int(PythonInteger.modulo(xi, yi)))
            }
            if y == 0 { throw error("float modulo", at: location) }
            var r = fmod(x, y)
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .value(.double(r))
        case .power:
            if let xi, let yi, yi >= 0 {
                guard let result = PythonInteger.power(xi, yi) else { throw error("integer overflow in **: the result does not fit in 64 bits", at: location) }
                return .value(.int(result))
            }
            if x == 0, y < 0 { throw error("0.0 cannot be raised to a negative power", at: location) }
            if x < 0, y.isFinite, y != y.rounded() { throw error("a negative number raised to a fractional power is complex, which templates do not support", at: location) }
            let result = pow(x, y)
            // Python raises where C's pow overflows from finite operands.
            if result.isInfinite, x.isFinite, y.isFinite { throw error("(34, 'Numerical result out of range') in **", at: location) }
            return .value(.double(result))
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

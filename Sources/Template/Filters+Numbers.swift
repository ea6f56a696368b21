import Foundation

/// Number filters: jinja2's `int`, `float`, `round`, `abs`, `sum`, `min`, `max`, `groupby`, and
/// Baton's report filters `average`, `group_by`, `format_number` and `percent`, so that a report's
/// figures are computed by the engine, exactly, and never by the model.
extension Renderer {
    func numberFilter(_ filter: FilterName, _ input: Value, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        switch filter {
        case .int:
            let fallback = try argument(args, 0, "default") ?? .int(0)
            let base = try intArgument(args, 1, "base", default: 10, at: location)
            switch PythonNumber.int(input, base: base) {
            case .value(let v): return .value(v)
            case .invalid: return .value(fallback)
            case .tooLarge(let text):
                throw error("int: \(text) is an integer beyond 64 bits, which templates do not support", at: location)
            }
        case .float:
            let fallback = try argument(args, 0, "default") ?? .double(0)
            return .value(PythonNumber.float(input).map { .double($0) } ?? fallback)
        case .round:
            let precision = try intArgument(args, 0, "precision", default: 0, at: location)
            let method = try stringArgument(args, 1, "method") ?? "common"
            guard let x = input.number else { throw error("round needs a number, not \(input.typeName)", at: location) }
            switch method {
            case "common":
                if case .int(let i) = input {
                    guard precision < 0 else { return .value(input) }
                    return .value(.int(PythonNumber.roundInteger(i, digits: precision)))
                }
                return .value(.double(PythonNumber.round(x, digits: precision)))
            case "floor", "ceil":
                let scale = pow(10.0, Double(precision))
                let scaled = x * scale
                return .value(.double((method == "floor" ? scaled.rounded(.down) : scaled.rounded(.up)) / scale))
            default:
                throw error("method must be common, ceil or floor", at: location)
            }
        case .abs:
            switch input {
            case .int(let i):
                guard let magnitude = PythonInteger.abs(i) else { throw error("integer overflow in abs: \(i) has no absolute value in 64 bits", at: location) }
                return .value(.int(magnitude))
            case .double(let d): return .value(.double(Swift.abs(d)))
            case .bool(let b): return .value(.int(b ? 1 : 0))
            default: throw error("bad operand type for abs(): '\(input.typeName)'", at: location)
            }
        case .sum:
            var items = try iterate(.value(input), at: location)
            if let attribute = try argument(args, 0, "attribute") {
                items = try items.map { item throws(TemplateError) in try plain(try lookupPath(item, attribute, at: location)) }
            }
            var total = RuntimeValue.value(try argument(args, 1, "start") ?? .int(0))
            for item in items { total = try binary(.add, total, .value(item), at: location) }
            return total
        case .average:
            var items = try iterate(.value(input), at: location)
            if let attribute = try argument(args, 0, "attribute") {
                items = try items.map { item throws(TemplateError) in try plain(try lookupPath(item, attribute, at: location)) }
            }
            guard !items.isEmpty else { return .undefined(Undefined(message: "No average, sequence was empty.", location: location)) }
            var total = RuntimeValue.value(.int(0))
            for item in items { total = try binary(.add, total, .value(item), at: location) }
            return try binary(.divide, total, .value(.int(items.count)), at: location)
        case .min, .max:
            let caseSensitive = try boolArgument(args, 0, "case_sensitive")
            let attribute = try argument(args, 1, "attribute")
            let items = try iterate(.value(input), at: location)
            guard !items.isEmpty else { return .undefined(Undefined(message: "No aggregated item, sequence was empty.", location: location)) }
            let ordered = try sorted(items, attribute: attribute, caseSensitive: caseSensitive, reverse: false, at: location)
            // Python's min/max return the first of equal extremes; a stable sort gives the first
            // minimum at the front and, for max, we search back to the first equal maximum.
            if filter == .min { return .value(ordered[0]) }
            let keyOf = { (v: Value) throws(TemplateError) -> Value in
                var key = v
                if let attribute { key = try self.plain(try self.lookupPath(v, attribute, at: location)) }
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                return key
            }
            let top = try keyOf(ordered[ordered.count - 1])
            for item in items where Value.pythonEqual(try keyOf(item), top) { return .value(item) }
            return .value(ordered[ordered.count - 1])
        case .format_number:
            let decimals = try intArgument(args, 0, "decimals", default: 0, at: location)
            guard let x = input.number else { throw error("format_number needs a number, not \(input.typeName)", at: location) }
            return .value(.string(PythonNumber.grouped(x, decimals: decimals)))
        case .percent:
            let decimals = try intArgument(args, 0, "decimals", default: 1, at: location)
            guard let x = input.number else { throw error("percent needs a number, not \(input.typeName)", at: location) }
            return .value(.string(PythonNumber.fixed(x * 100, decimals: decimals) + "%"))
        default:
            throw error("filter '\(filter.rawValue)' cannot be applied to \(input.typeName)", at: location)
        }
    }

    /// `groupby` (jinja2: groups sorted by key, the grouper in the first item's case) and
    /// `group_by` (Baton: groups in order of first appearance, keys compared exactly).
    /// Each group is `{grouper, list}`; `for key, items in ...` unpacks it.
    func group(_ input: Value, _ args: FilterArguments, sortedByKey: Bool, at location: SourceLocation) throws(TemplateError) -> [Value] {
        guard let attribute = try argument(args, 0, "attribute") else { throw error("groupby needs an attribute", at: location) }
        let fallback = try argument(args, 1, "default")
        let caseSensitive = sortedByKey ? try boolArgument(args, 2, "case_sensitive") : true
        var items = try iterate(.value(input), at: location)
        func key(_ item: Value, folded: Bool) throws(TemplateError) -> Value {
            var found = try lookupPath(item, attribute, at: location)
            if found.isUndefined, let fallback { found = .value(fallback) }
            var k = try plain(found)
            if folded, !caseSensitive, case .string(let s) = k { k = .string(s.lowercased()) }
            return k
        }
        if sortedByKey {
            items = try sorted(items, attribute: nil, caseSensitive: true, reverse: false, at: location, keys: items.map { item throws(TemplateError) in try key(item, folded: true) })
        }
        var groups: [(key: Value, grouper: Value, items: [Value])] = []
        for item in items {
            let k = try key(item, folded: true)
            if sortedByKey {
                if let last = groups.last, Value.pythonEqual(last.key, k) {
                    groups[groups.count - 1].items.append(item)
                } else {
                    groups.append((k, try key(item, folded: false), [item]))
                }
            } else if let index = groups.firstIndex(where: { Value.pythonEqual($0.key, k) }) {
                groups[index].items.append(item)
            } else {
                groups.append((k, k, [item]))
            }
        }
        return groups.map { ["grouper": $0.grouper, "list": .list($0.items)] }
    }

    /// A stable sort by precomputed keys.
    func sorted(_ items: [Value], attribute: Value?, caseSensitive: Bool, reverse: Bool, at location: SourceLocation, keys: [Value]) throws(TemplateError) -> [Value] {
        let pairs: [Value] = zip(keys, items).map { .list([$0, $1]) }
        return try sorted(pairs, attribute: .int(0), caseSensitive: true, reverse: reverse, at: location).compactMap { $0.list?.last }
    }
}

/// Python's number conversions and formatting, which the number filters reproduce.
enum PythonNumber {
    /// What `int(value)` gives: a value, jinja2's default (Python raised), or an integer that
    /// Python has but 64 bits do not (an error, not a silent default).
    enum IntResult: Equatable {
        case value(Value)
        case invalid
        case tooLarge(String)
    }

    /// `int(value)` as jinja2's `int` filter tries it: ints and bools, floats truncated,
    /// strings parsed in `base` (or as a float, then truncated).
    static func int(_ value: Value, base: Int) -> IntResult {
        switch value {
        case .int: return .value(value)
        case .bool(let b): return .value(.int(b ? 1 : 0))
        case .double(let d):
            // jinja2 catches the OverflowError of int(inf) and the ValueError of int(nan).
            guard d.isFinite else { return .invalid }
            return PythonInteger.truncating(d).map { .value(.int($0)) } ?? .tooLarge(Value.pythonFloat(d))
        case .string(let s):
            let trimmed = PythonString.strip(s, chars: nil, leading: true, trailing: true).replacingOccurrences(of: "_", with: "")
            var digits = trimmed
            if base == 16, digits.lowercased().hasPrefix("0x") { digits = String(digits.dropFirst(2)) }
            guard (2...36).contains(base) else { return .invalid }
            if let i = Int(digits, radix: base) { return .value(.int(i)) }
            // All digits, but too many for 64 bits: Python has the integer.
            var body = Substring(digits)
            if body.first == "-" || body.first == "+" { body = body.dropFirst() }
            if !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.hexDigitValue.map { $0 < base } == true }) { return .tooLarge(trimmed) }
            guard let d = float(.string(s)), d.isFinite else { return .invalid }
            return PythonInteger.truncating(d).map { .value(.int($0)) } ?? .tooLarge(trimmed)
        default: return .invalid
        }
    }

    /// `float(value)`; nil when Python would raise.
    static func float(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string(let s):
            let t = PythonString.strip(s, chars: nil, leading: true, trailing: true).lowercased()
            switch t {
            case "inf", "+inf", "infinity", "+infinity": return .infinity
            case "-inf", "-infinity": return -.infinity
            case "nan", "+nan", "-nan": return .nan
            default:
                guard !t.isEmpty, t.allSatisfy({ "0123456789.+-e_".contains($0) }) else { return nil }
                return Double(t.replacingOccurrences(of: "_", with: ""))
            }
        default: return nil
        }
    }

    /// Python's `round(x, digits)`: correctly rounded, ties to even on the exact binary value
    /// (glibc's `printf` rounds the same way).
    static func round(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        if digits < 0 {
            let scale = pow(10.0, Double(-digits))
            return (x / scale).rounded(.toNearestOrEven) * scale
        }
        return Double(cFormat(x, decimals: Swift.min(digits, 300))) ?? x
    }

    /// Python's `round(int, -n)`: to a multiple of 10^n, ties to even.
    static func roundInteger(_ i: Int, digits: Int) -> Int {
        guard digits < 0, -digits < 19 else { return digits < 0 ? 0 : i }
        var scale = 1
        for _ in 0..<(-digits) { scale *= 10 }
        var quotient = i / scale
        let remainder = i - quotient * scale
        let twice = Swift.abs(remainder) * 2
        if twice > scale || (twice == scale && quotient % 2 != 0) { quotient += remainder < 0 ? -1 : 1 }
        return quotient * scale
    }

    /// `f"{x:.{decimals}f}"`.
    static func fixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        return cFormat(x, decimals: Swift.max(0, Swift.min(decimals, 300)))
    }

    /// `%.*f` for the common case without C: the double is m·2^e exactly, so x·10^d rounded
    /// half-to-even is an integer division in 128 bits; nil when the numbers are too large.
    static func exactFixed(_ x: Double, decimals: Int) -> String? {
        // x·10^decimals < 1e37 keeps every step inside 128 bits.
        guard x.isFinite, decimals >= 0, decimals <= 20, Swift.abs(x) < 1e17 else { return nil }
        let magnitude = Swift.abs(x)
        var scaled: UInt128
        if magnitude == 0 {
            scaled = 0
        } else {
            let significand = UInt128(magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0))
            let exponent = Int(magnitude.isNormal ? magnitude.exponent : Double.leastNormalMagnitude.exponent) - 52
            var power: UInt128 = 1
            for _ in 0..<decimals { power *= 10 }
            let numerator = significand * power
            if exponent >= 0 {
                scaled = numerator << UInt128(exponent)
            } else if -exponent >= 127 {
                scaled = 0
            } else {
                let shift = UInt128(-exponent)
                let quotient = numerator >> shift
                let remainder = numerator - (quotient << shift)
                let half = UInt128(1) << (shift - 1)
                scaled = quotient
                if remainder > half || (remainder == half && quotient & 1 == 1) { scaled += 1 }
            }
        }
        var digits = String(scaled)
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return (x.sign == .minus ? "-" : "") + digits
    }

    /// C's `%.*f`: exact binary value, ties to even, as Python's float formatting. Called
    /// directly (not through `String(format:)`, which costs microseconds per call). Callers bound
    /// `decimals` (by 300, or by the render budget).
    static func cFormat(_ x: Double, decimals: Int) -> String {
        if let fast = exactFixed(x, decimals: decimals) { return fast }
        return CFormat.double(x, precision: decimals, conversion: "f", maxBytes: Int.max) ?? Value.pythonFloat(x)
    }

    /// `f"{x:,.{decimals}f}"`: fixed decimals with `,` between thousands.
    static func grouped(_ x: Double, decimals: Int) -> String {
        let text = fixed(x, decimals: decimals)
        guard x.isFinite else { return text }
        // ASCII digits only: work on the bytes.
        var bytes = Array(text.utf8)
        var sign: [UInt8] = []
        if bytes.first == UInt8(ascii: "-") { sign = [bytes.removeFirst()] }
        let point = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        var out = sign
        out.reserveCapacity(bytes.count + bytes.count / 3 + 1)
        for i in 0..<point {
            if i > 0, (point - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(bytes[i])
        }
        out.append(contentsOf: bytes[point...])
        return String(decoding: out, as: UTF8.self)
    }
}

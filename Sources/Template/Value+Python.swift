/// Python's `str()`, `repr()`, `==` and ordering for values, which jinja2 output follows.
extension Value {
    /// `str(value)`: strings as they are, `None`/`True`/`False`, floats as Python's shortest
    /// repr (`1.0`, `1e+16`), lists and dicts as their repr (`['a', 1]`).
    public var pythonString: String {
        switch self {
        case .string(let s): return s
        default:
            var out = ""
            appendPythonString(to: &out)
            return out
        }
    }

    /// `repr(value)`: strings quoted the way Python quotes them.
    public var pythonRepr: String {
        var out = ""
        appendPythonRepr(to: &out)
        return out
    }

    func appendPythonString(to out: inout String) {
        switch self {
        case .string(let s): out += s
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .double(let d): out += Value.pythonFloat(d)
        case .list, .dict: appendPythonRepr(to: &out)
        }
    }

    func appendPythonRepr(to out: inout String) {
        switch self {
        case .string(let s): Value.appendStringRepr(s, to: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.appendPythonRepr(to: &out)
            }
            out += "]"
        case .dict(let d):
            out += "{"
            for i in 0..<d.count {
                if i > 0 { out += ", " }
                Value.appendStringRepr(d.keys[i], to: &out)
                out += ": "
                d.values[i].appendPythonRepr(to: &out)
            }
            out += "}"
        default: appendPythonString(to: &out)
        }
    }

    /// Python's float repr; Swift's `description` already gives the shortest round-trip digits
    /// with the same switch to exponent form (below 1e-4 and from 1e16).
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }

    /// Python's string repr: single quotes unless the text has a single quote and no double one.
    static func appendStringRepr(_ s: String, to out: inout String) {
        let quote: Unicode.Scalar = s.utf8.contains(UInt8(ascii: "'")) && !s.utf8.contains(UInt8(ascii: "\"")) ? "\"" : "'"
        out.unicodeScalars.append(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case quote: out += "\\"; out.unicodeScalars.append(scalar)
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value >= 0x80 && !isPrintable(scalar) {
                    let width = scalar.value <= 0xff ? 2 : scalar.value <= 0xffff ? 4 : 8
                    out += (width == 2 ? "\\x" : width == 4 ? "\\u" : "\\U") + hex(scalar.value, width: width)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.unicodeScalars.append(quote)
    }

    /// Python's `str.isprintable` for one non-ASCII scalar: not a control, format, separator
    /// (other than the space), surrogate, private-use or unassigned character.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python's `==`: numbers compare by value across int, float and bool.
    static func pythonEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.none, .none): return true
        case (.list(let x), .list(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { pythonEqual($0, $1) }
        case (.dict(let x), .dict(let y)):
            guard x.count == y.count else { return false }
            for (i, key) in x.keys.enumerated() {
                guard let other = y[key], pythonEqual(x.values[i], other) else { return false }
            }
            return true
        default:
            if case .int(let x) = a, case .int(let y) = b { return x == y }
            if let x = a.number, let y = b.number { return x == y }
            return false
        }
    }

    /// Python's ordering (`<`): numbers, strings by code point, lists element-wise; nil when
    /// Python would raise TypeError.
    static func pythonCompare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if x.unicodeScalars.elementsEqual(y.unicodeScalars) { return 0 }
            return x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1
        case (.list(let x), .list(let y)):
            for (p, q) in zip(x, y) where !pythonEqual(p, q) { return pythonCompare(p, q) }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        default:
            if case .int(let x) = a, case .int(let y) = b { return x == y ? 0 : (x < y ? -1 : 1) }
            guard let x = a.number, let y = b.number else { return nil }
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }
}

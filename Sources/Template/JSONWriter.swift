/// JSON text for values: jinja2's `tojson` (Python's `json.dumps(sort_keys=True)`, ASCII only,
/// then `<`, `>`, `&`, `'` escaped for HTML) and Baton's plain UTF-8 `jsonString()`.
enum JSONWriter {
    /// Exactly `jinja2.utils.htmlsafe_json_dumps(value, indent=indent)`; with `asciiOnly` false,
    /// what jinja2 writes under the policy `json.dumps_kwargs = {sort_keys: True, ensure_ascii: False}`
    /// (non-ASCII characters as themselves, `<`, `>`, `&`, `'` still escaped).
    static func pythonJSON(_ value: Value, indent: Int?, asciiOnly: Bool = true) -> String {
        var out = ""
        write(value, to: &out, sortKeys: true, asciiOnly: asciiOnly, htmlSafe: true, indent: indent, level: 0, compact: false)
        return out
    }

    /// The nesting depth of `value` (a scalar is 0), for bounding an indented rendering.
    static func depth(of value: Value) -> Int {
        switch value {
        case .list(let items): return 1 + (items.map(depth).max() ?? 0)
        case .dict(let d): return 1 + (d.values.map(depth).max() ?? 0)
        default: return 0
        }
    }

    /// How many lines an indented rendering of `value` has.
    static func lines(of value: Value) -> Int {
        switch value {
        case .list(let items): return items.isEmpty ? 1 : 1 + items.reduce(0) { $0 + lines(of: $1) }
        case .dict(let d): return d.isEmpty ? 1 : 1 + d.values.reduce(0) { $0 + lines(of: $1) }
        default: return 1
        }
    }

    static func write(_ value: Value, to out: inout String, sortKeys: Bool, asciiOnly: Bool, htmlSafe: Bool, indent: Int?, level: Int, compact: Bool) {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else { out += d.description }
        case .string(let s): writeString(s, to: &out, asciiOnly: asciiOnly, htmlSafe: htmlSafe)
        case .list(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += indent == nil ? (compact ? "," : ", ") : "," }
                if let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
                write(item, to: &out, sortKeys: sortKeys, asciiOnly: asciiOnly, htmlSafe: htmlSafe, indent: indent, level: level + 1, compact: compact)
            }
            if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
            out += "]"
        case .dict(let d):
            if d.isEmpty { out += "{}"; return }
            out += "{"
            var order = Array(0..<d.count)
            if sortKeys {
                order.sort { d.keys[$0].unicodeScalars.lexicographicallyPrecedes(d.keys[$1].unicodeScalars) }
            }
            for (n, i) in order.enumerated() {
                if n > 0 { out += indent == nil ? (compact ? "," : ", ") : "," }
                if let indent { out += "\n" + String(repeating: " ", count: indent * (level + 1)) }
                writeString(d.keys[i], to: &out, asciiOnly: asciiOnly, htmlSafe: htmlSafe)
                out += compact ? ":" : ": "
                write(d.values[i], to: &out, sortKeys: sortKeys, asciiOnly: asciiOnly, htmlSafe: htmlSafe, indent: indent, level: level + 1, compact: compact)
            }
            if let indent { out += "\n" + String(repeating: " ", count: indent * level) }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String, asciiOnly: Bool, htmlSafe: Bool) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "'" where htmlSafe: out += "\\u0027"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7e) {
                    if scalar.value > 0xffff {
                        let v = scalar.value - 0x10000
                        out += "\\u" + Value.hex(0xd800 + (v >> 10), width: 4) + "\\u" + Value.hex(0xdc00 + (v & 0x3ff), width: 4)
                    } else {
                        out += "\\u" + Value.hex(scalar.value, width: 4)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension Value {
    /// Compact JSON in the dictionaries' insertion order, UTF-8 kept as is (no HTML escaping):
    /// the form Baton stores and passes between steps.
    public func jsonString() -> String {
        var out = ""
        JSONWriter.write(self, to: &out, sortKeys: false, asciiOnly: false, htmlSafe: false, indent: nil, level: 0, compact: true)
        return out
    }

    /// Parses JSON text: integers stay `.int` (when they fit), numbers with a fraction or an
    /// exponent become `.double`, objects keep their key order.
    public init(json: Data) throws {
        var parser = JSONParser(bytes: Array(json))
        self = try parser.parseDocument()
    }
}

import Foundation

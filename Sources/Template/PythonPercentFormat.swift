import Foundation

/// Python's printf-style `str % args`, which jinja2's `format` filter and the `%` operator on
/// strings use: `%s %r %d %i %f %e %g %x %o %c %%` with flags, width, precision, and `%(name)s`.
enum PythonPercentFormat {
    struct Failure: Error { var message: String }

    /// `template % arguments`. Widths and precisions are checked against `maxBytes` before any
    /// padding is allocated: `'%1000000000d' % 1` is an error, not a gigabyte of spaces.
    static func format(_ template: String, _ arguments: [Value], named: ValueDictionary?, maxBytes: Int = RenderBudget.standard.outputBytes) throws(Failure) -> String {
        let scalars = Array(template.unicodeScalars)
        var out = ""
        var next = 0
        var i = 0
        func take() throws(Failure) -> Value {
            guard next < arguments.count else { throw Failure(message: "not enough arguments for format string") }
            defer { next += 1 }
            return arguments[next]
        }
        while i < scalars.count {
            let c = scalars[i]
            i += 1
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            guard i < scalars.count else { throw Failure(message: "incomplete format") }
            var key: String?
            if scalars[i] == "(" {
                var name = String.UnicodeScalarView()
                i += 1
                while i < scalars.count, scalars[i] != ")" { name.append(scalars[i]); i += 1 }
                i += 1
                key = String(name)
            }
            var flags = ""
            while i < scalars.count, "-+ 0#".unicodeScalars.contains(scalars[i]) { flags.unicodeScalars.append(scalars[i]); i += 1 }
            let width = try number(scalars, &i, maxBytes: maxBytes, what: "width")
            var precision: Int?
            if i < scalars.count, scalars[i] == "." {
                i += 1
                precision = try number(scalars, &i, maxBytes: maxBytes, what: "precision") ?? 0
            }
            guard i < scalars.count else { throw Failure(message: "incomplete format") }
            let conversion = scalars[i]
            i += 1
            if conversion == "%" { out += "%"; continue }
            let value: Value
            if let key {
                guard let named, let found = named[key] else { throw Failure(message: "format requires a mapping with key '\(key)'") }
                value = found
            } else {
                value = try take()
            }
            var body: String
            switch conversion {
            case "s", "r", "a":
                body = conversion == "s" ? value.pythonString : value.pythonRepr
                if let precision { body = String(String.UnicodeScalarView(body.unicodeScalars.prefix(precision))) }
            case "d", "i", "u", "x", "X", "o":
                let int: Int
                switch value {
                case .int(let i): int = i
                case .bool(let b): int = b ? 1 : 0
                case .double(let d):
                    guard let truncated = PythonInteger.truncating(d) else {
                        if d.isNaN { throw Failure(message: "cannot convert float NaN to integer") }
                        if d.isInfinite { throw Failure(message: "cannot convert float infinity to integer") }
                        throw Failure(message: "%\(conversion) format: \(Value.pythonFloat(d)) is an integer beyond 64 bits, which templates do not support")
                    }
                    int = truncated
                default:
                    throw Failure(message: "%\(conversion) format: a real number is required, not \(value.typeName)")
                }
                let radix = conversion == "x" || conversion == "X" ? 16 : conversion == "o" ? 8 : 10
                body = String(int.magnitude, radix: radix, uppercase: conversion == "X")
                if let precision, body.count < precision { body = String(repeating: "0", count: precision - body.count) + body }
                if int < 0 { body = "-" + body } else if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
            case "f", "F", "e", "E", "g", "G":
                guard let n = value.number else { throw Failure(message: "must be real number, not \(value.typeName)") }
                let flagText = (flags.contains("+") ? "+" : "") + (flags.contains(" ") ? " " : "") + (flags.contains("#") ? "#" : "")
                guard let text = CFormat.double(n, flags: flagText, precision: precision ?? 6, conversion: conversion, maxBytes: maxBytes) else {
                    throw Failure(message: "precision \(precision ?? 6) gives a number larger than the render budget allows (\(maxBytes) bytes)")
                }
                body = text
            case "c":
                if case .int(let code) = value {
                    guard let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: Swift.max(0, Swift.min(code, 0x110000)))), code >= 0, code < 0x110000 else {
                        throw Failure(message: "%c arg not in range(0x110000)")
                    }
                    body = String(scalar)
                } else {
                    body = value.pythonString
                }
            default:
                throw Failure(message: "unsupported format character '\(conversion)'")
            }
            if let w = width, body.unicodeScalars.count < w {
                let pad = w - body.unicodeScalars.count
                if flags.contains("-") {
                    body += String(repeating: " ", count: pad)
                } else if flags.contains("0"), "dixXofFeEgG".unicodeScalars.contains(conversion) {
                    let sign = body.first.map { "+- ".contains($0) } == true ? String(body.removeFirst()) : ""
                    body = sign + String(repeating: "0", count: pad) + body
                } else {
                    body = String(repeating: " ", count: pad) + body
                }
            }
            out += body
        }
        if key(in: template) == false, next < arguments.count {
            throw Failure(message: "not all arguments converted during string formatting")
        }
        return out
    }

    private static func key(in template: String) -> Bool { template.contains("%(") }

    /// The digits at `i` as a width or precision; nil when there are none. Python refuses a
    /// number beyond its integers (`width too big`); a number beyond the budget is refused here too.
    private static func number(_ scalars: [Unicode.Scalar], _ i: inout Int, maxBytes: Int, what: String) throws(Failure) -> Int? {
        var value = 0, any = false, tooBig = false
        while i < scalars.count, ("0"..."9").contains(scalars[i]) {
            any = true
            if !tooBig {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(scalars[i].value - 48))
                if o1 || o2 { tooBig = true } else { value = sum }
            }
            i += 1
        }
        if tooBig { throw Failure(message: "\(what) too big") }
        if value > maxBytes { throw Failure(message: "\(what) \(value) is larger than the render budget allows (\(maxBytes) bytes)") }
        return any ? value : nil
    }
}

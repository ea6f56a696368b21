import Foundation

/// Python's printf-style `str % args`, which jinja2's `format` filter and the `%` operator on
/// strings use: `%s %r %d %i %f %e %g %x %o %c %%` with flags, width, precision, and `%(name)s`.
enum PythonPercentFormat {
    struct Failure: Error { var message: String }

    static func format(_ template: String, _ arguments: [Value], named: ValueDictionary?) throws(Failure) -> String {
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
            var width = ""
            while i < scalars.count, ("0"..."9").contains(scalars[i]) { width.unicodeScalars.append(scalars[i]); i += 1 }
            var precision: Int?
            if i < scalars.count, scalars[i] == "." {
                i += 1
                var digits = ""
                while i < scalars.count, ("0"..."9").contains(scalars[i]) { digits.unicodeScalars.append(scalars[i]); i += 1 }
                precision = Int(digits) ?? 0
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
                guard let n = value.number else { throw Failure(message: "%\(conversion) format: a real number is required, not \(value.typeName)") }
                let int = Int(n.rounded(.towardZero))
                let radix = conversion == "x" || conversion == "X" ? 16 : conversion == "o" ? 8 : 10
                body = String(abs(int), radix: radix, uppercase: conversion == "X")
                if let precision, body.count < precision { body = String(repeating: "0", count: precision - body.count) + body }
                if int < 0 { body = "-" + body } else if flags.contains("+") { body = "+" + body } else if flags.contains(" ") { body = " " + body }
            case "f", "F", "e", "E", "g", "G":
                guard let n = value.number else { throw Failure(message: "must be real number, not \(value.typeName)") }
                let spec = "%" + (flags.contains("+") ? "+" : "") + (flags.contains(" ") ? " " : "") + (flags.contains("#") ? "#" : "") + ".\(precision ?? 6)" + String(conversion)
                body = String(format: spec, n)
            case "c":
                if case .int(let code) = value, let scalar = Unicode.Scalar(code) { body = String(scalar) } else { body = value.pythonString }
            default:
                throw Failure(message: "unsupported format character '\(conversion)'")
            }
            if let w = Int(width), body.unicodeScalars.count < w {
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
}

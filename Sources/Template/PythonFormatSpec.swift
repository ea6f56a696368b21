import Foundation

/// Python's format-spec mini-language for `'{:,.2f}'.format(x)`:
/// `[[fill]align][sign][0][width][,|_][.precision][type]` with types `s d n f F % e E g G x X o b`.
enum PythonFormatSpec {
    /// `format(value, spec)`; a width or precision beyond `maxBytes` is an error before anything
    /// is allocated.
    static func apply(_ value: Value, _ spec: String, maxBytes: Int = RenderBudget.standard.outputBytes) throws(PythonPercentFormat.Failure) -> String {
        var chars = Array(spec.unicodeScalars)
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar?
        if chars.count >= 2, "<>^=".unicodeScalars.contains(chars[1]) {
            fill = chars[0]; align = chars[1]; chars.removeFirst(2)
        } else if let first = chars.first, "<>^=".unicodeScalars.contains(first) {
            align = first; chars.removeFirst()
        }
        var sign: Unicode.Scalar = "-"
        if let first = chars.first, "+- ".unicodeScalars.contains(first) { sign = first; chars.removeFirst() }
        if chars.first == "#" { chars.removeFirst() }
        if chars.first == "0" {
            chars.removeFirst()
            if align == nil { fill = "0"; align = "=" }
        }
        func number(_ what: String) throws(PythonPercentFormat.Failure) -> Int {
            var n = 0
            while let d = chars.first, ("0"..."9").contains(d) {
                let (times, o1) = n.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(d.value - 48))
                // Python: "Too many decimal digits in format string".
                if o1 || o2 { throw .init(message: "Too many decimal digits in format string") }
                n = sum
                chars.removeFirst()
            }
            if n > maxBytes { throw .init(message: "\(what) \(n) is larger than the render budget allows (\(maxBytes) bytes)") }
            return n
        }
        let width = try number("width")
        var grouping: String?
        if let g = chars.first, g == "," || g == "_" { grouping = String(g); chars.removeFirst() }
        var precision: Int?
        if chars.first == "." {
            chars.removeFirst()
            precision = try number("precision")
        }
        let type = chars.first
        guard chars.count <= 1 else { throw .init(message: "Invalid format specifier '\(spec)'") }

        var body: String
        var negative = false
        var numeric = true
        switch (value, type) {
        case (.string(let s), nil), (.string(let s), "s"):
            numeric = false
            body = precision.map { String(String.UnicodeScalarView(s.unicodeScalars.prefix($0))) } ?? s
        case (.int(let i), nil), (.int(let i), "d"), (.int(let i), "n"):
            negative = i < 0
            body = group(String(i.magnitude), grouping)
        case (.bool(let b), "d"):
            body = b ? "1" : "0"
        case (.int(let i), "x"), (.int(let i), "X"), (.int(let i), "o"), (.int(let i), "b"):
            negative = i < 0
            body = String(i.magnitude, radix: type == "o" ? 8 : type == "b" ? 2 : 16, uppercase: type == "X")
        case (_, _) where value.number != nil && [nil, "f", "F", "%", "e", "E", "g", "G"].contains(type):
            let x = value.number ?? 0
            negative = x.sign == .minus && !(x == 0 && type == nil)
            let magnitude = Swift.abs(x)
            func c(_ x: Double, _ conversion: Unicode.Scalar, _ precision: Int) throws(PythonPercentFormat.Failure) -> String {
                if conversion == "f", let fast = PythonNumber.exactFixed(x, decimals: precision) { return fast }
                guard let text = CFormat.double(x, precision: precision, conversion: conversion, maxBytes: maxBytes) else {
                    throw .init(message: "precision \(precision) is larger than the render budget allows (\(maxBytes) bytes)")
                }
                return text
            }
            switch type {
            case "f", "F": body = try c(magnitude, "f", precision ?? 6)
            case "%": body = try c(magnitude * 100, "f", precision ?? 6) + "%"
            case .some(let t) where "eEgG".unicodeScalars.contains(t): body = try c(magnitude, t, precision ?? 6)
            default:
                if let precision { body = try c(magnitude, "g", Swift.max(1, precision)) }
                else { body = Value.double(magnitude).pythonString }
            }
            if let grouping {
                let parts = body.split(separator: ".", maxSplits: 1)
                body = group(String(parts[0]), grouping) + (parts.count > 1 ? "." + parts[1] : "")
            }
        default:
            throw .init(message: "Unknown format code '\(type.map(String.init) ?? "")' for object of type '\(value.typeName)'")
        }
        let signText = negative ? "-" : (numeric && sign == "+" ? "+" : (numeric && sign == " " ? " " : ""))
        let length = signText.unicodeScalars.count + body.unicodeScalars.count
        guard width > length else { return signText + body }
        let pad = width - length
        let padding = { (n: Int) in String(repeating: String(fill), count: n) }
        switch align ?? (numeric ? ">" : "<") {
        case "<": return signText + body + padding(pad)
        case "^": return padding(pad / 2) + signText + body + padding(pad - pad / 2)
        case "=": return signText + padding(pad) + body
        default: return padding(pad) + signText + body
        }
    }

    private static func group(_ digits: String, _ separator: String?) -> String {
        guard let separator else { return digits }
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += separator }
            out.append(c)
        }
        return out
    }
}

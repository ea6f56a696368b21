import Foundation

/// Python's format-spec mini-language for `'{:,.2f}'.format(x)`:
/// `[[fill]align][sign][0][width][,|_][.precision][type]` with types `s d n f F % e E g G x X o b`.
enum PythonFormatSpec {
    static func apply(_ value: Value, _ spec: String) throws(PythonPercentFormat.Failure) -> String {
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
        var width = 0
        while let d = chars.first, ("0"..."9").contains(d) { width = width * 10 + Int(d.value - 48); chars.removeFirst() }
        var grouping: String?
        if let g = chars.first, g == "," || g == "_" { grouping = String(g); chars.removeFirst() }
        var precision: Int?
        if chars.first == "." {
            chars.removeFirst()
            var p = 0
            while let d = chars.first, ("0"..."9").contains(d) { p = p * 10 + Int(d.value - 48); chars.removeFirst() }
            precision = p
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
        case (.int, nil), (.int, "d"), (.int, "n"), (.bool, "d"):
            let i = Int(value.number ?? 0)
            negative = i < 0
            body = group(String(i.magnitude), grouping)
        case (.int, "x"), (.int, "X"), (.int, "o"), (.int, "b"):
            let i = Int(value.number ?? 0)
            negative = i < 0
            body = String(i.magnitude, radix: type == "o" ? 8 : type == "b" ? 2 : 16, uppercase: type == "X")
        case (_, _) where value.number != nil && [nil, "f", "F", "%", "e", "E", "g", "G"].contains(type):
            let x = value.number ?? 0
            negative = x.sign == .minus && !(x == 0 && type == nil)
            let magnitude = Swift.abs(x)
            switch type {
            case "f", "F": body = PythonNumber.cFormat(magnitude, decimals: precision ?? 6)
            case "%": body = PythonNumber.cFormat(magnitude * 100, decimals: precision ?? 6) + "%"
            case "e", "E", "g", "G": body = cFormat(magnitude, String(type ?? "g"), precision ?? 6)
            default:
                if let precision { body = cFormat(magnitude, "g", Swift.max(1, precision)) }
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

    /// `%e` / `%g` through C, for the rarer exponent formats.
    private static func cFormat(_ x: Double, _ conversion: String, _ precision: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        _ = withVaList([Int32(Swift.min(precision, 300)), x]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.*" + conversion, arguments) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

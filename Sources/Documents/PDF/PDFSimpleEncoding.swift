/// The code -> Unicode table of a simple (one-byte) font: a base encoding (Standard, WinAnsi,
/// MacRoman) with `/Differences` applied (ISO 32000-1 9.6.6).
struct PDFSimpleEncoding {
    var table: [String?]

    init(base: String?, differences: [PDFObject]?, symbolic: Bool) {
        let codes: [UInt16]
        switch base {
        case "WinAnsiEncoding": codes = PDFEncodingTables.winAnsi
        case "MacRomanEncoding": codes = PDFEncodingTables.macRoman
        case "StandardEncoding": codes = PDFEncodingTables.standard
        default: codes = symbolic ? PDFEncodingTables.winAnsi : PDFEncodingTables.standard
        }
        table = codes.map { $0 == 0 ? nil : UnicodeScalar($0).map { String(Character($0)) } }
        var code = 0
        for item in differences ?? [] {
            switch item {
            case .integer(let value): code = value
            case .name(let name):
                if code >= 0, code < 256 { table[code] = Self.unicode(glyphName: name) }
                code += 1
            default: break
            }
        }
    }

    /// A glyph name's text: the Adobe Glyph List names of the Latin encodings, `uniXXXX`,
    /// `uXXXX[XX]`, and `name.suffix` variants; nil for names that say nothing (`g123`, `cid45`).
    static func unicode(glyphName: String) -> String? {
        var name = Substring(glyphName)
        if let dot = name.firstIndex(of: ".") { name = name[..<dot] }
        if name.contains("_") {  // ligature names f_f_i
            let parts = name.split(separator: "_").compactMap { unicode(glyphName: String($0)) }
            return parts.isEmpty ? nil : parts.joined()
        }
        if let value = PDFEncodingTables.glyphNames[String(name)], let scalar = UnicodeScalar(value) { return String(Character(scalar)) }
        if name.hasPrefix("uni"), name.count >= 7 {
            var text = ""
            var rest = name.dropFirst(3)
            while rest.count >= 4, let value = UInt32(rest.prefix(4), radix: 16), let scalar = UnicodeScalar(value) {
                text.unicodeScalars.append(scalar)
                rest = rest.dropFirst(4)
            }
            return text.isEmpty ? nil : text
        }
        if name.hasPrefix("u"), (5...7).contains(name.count), let value = UInt32(name.dropFirst(), radix: 16), let scalar = UnicodeScalar(value) {
            return String(Character(scalar))
        }
        return nil
    }
}

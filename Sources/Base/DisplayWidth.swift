/// How many terminal cells text takes, as terminals draw it: two for East Asian wide and
/// full-width characters (Hangul, CJK, kana, full-width forms, most emoji), none for combining
/// marks and zero-width spaces, one for the rest.
///
/// One table for the whole project, so that a caret under a Korean source line, a column of an
/// audit table and a line of the live run progress all count a cell the same way. It lives in
/// `Base`, the leaf module, so that neither the CLI nor the audit printing has to import YAML for it.
public enum DisplayWidth {
    /// Cells `text` takes: the sum over its Unicode scalars.
    public static func cells(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { $0 + cells($1) }
    }

    /// Cells one scalar takes: 0, 1 or 2. Covers the East Asian Wide and Fullwidth ranges that
    /// matter in practice rather than the whole Unicode table.
    public static func cells(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        case 0x0300...0x036F, 0x200B...0x200F:
            return 0
        default:
            return 1
        }
    }
}

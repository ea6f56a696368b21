/// Escaping text for HTML and XML, one table per dialect. The console's pages, the template
/// engine's `escape` filter and the DOCX/HWPX writers all put untrusted text (model output,
/// inputs) into markup; each needs the same loop and differs only in which characters become
/// which entities, so the differences live in these tables rather than in four copies of a
/// `switch` that could drift apart.
public struct MarkupEscaping: Sendable {
    /// The replacement for each ASCII scalar, indexed by its value; `nil` keeps the scalar.
    private let replacements: [String?]
    /// Whether scalars XML 1.0 forbids (C0 controls but tab, newline and carriage return;
    /// U+FFFE, U+FFFF) are dropped: a single one makes Word and Hancom reject the whole file.
    private let dropsXMLForbidden: Bool

    private init(_ table: [Unicode.Scalar: String], dropsXMLForbidden: Bool) {
        var replacements = [String?](repeating: nil, count: 128)
        for (scalar, entity) in table where scalar.isASCII { replacements[Int(scalar.value)] = entity }
        self.replacements = replacements
        self.dropsXMLForbidden = dropsXMLForbidden
    }

    /// HTML text and attribute values: `&`, `<`, `>`, `"` and `'` as `&amp;`, `&lt;`, `&gt;`,
    /// `&quot;`, `&#39;`.
    public static let html = MarkupEscaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"], dropsXMLForbidden: false)

    /// Jinja2's `escape` filter (markupsafe): as `html` but `"` becomes `&#34;`, so templates
    /// render byte-equal to Python.
    public static let jinja = MarkupEscaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&#34;", "'": "&#39;"], dropsXMLForbidden: false)

    /// XML 1.0 element text and attribute values: `&`, `<`, `>`, `"` as entities (`'` stays,
    /// attributes are double-quoted); forbidden characters are dropped.
    public static let xml = MarkupEscaping(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"], dropsXMLForbidden: true)

    /// `text` with this dialect's entities substituted.
    public func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        escape(text, into: &out)
        return out
    }

    /// Appends `text`, escaped, to `out`.
    public func escape(_ text: String, into out: inout String) {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 128, let entity = replacements[Int(value)] {
                out += entity
            } else if dropsXMLForbidden, Self.isForbiddenInXML(value) {
                continue
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    /// Characters outside XML 1.0's `Char` production that a Swift string can hold.
    private static func isForbiddenInXML(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D: false
        case ..<0x20, 0xFFFE, 0xFFFF: true
        default: false
        }
    }
}

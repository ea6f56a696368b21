import Base

/// HTML text built by hand, every interpolated value escaped: model output and inputs are
/// untrusted (`<script>` in a generated headline must stay text).
enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as entities (`MarkupEscaping.html`).
    static func escape(_ text: String) -> String { MarkupEscaping.html.escape(text) }

    /// A path segment for a link (`/runs/ID`): percent-encodes everything but unreserved bytes.
    static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// A whole page: the layout, navigation and `body` (already HTML).
    static func page(title: String, body: String, labels: Labels) -> String {
        """
        <!doctype html>
        <html lang="\(labels.language)">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Baton</title><link rel="stylesheet" href="/static/style.css"><script src="/static/app.js" defer></script></head>
        <body><nav><a href="/">\(labels["workflows"])</a> <a href="/runs">\(labels["runs"])</a> <a href="/reviews">\(labels["reviews"])</a></nav>
        <main><h1>\(escape(title))</h1>
        \(body)
        </main></body></html>
        """
    }

    /// A table from escaped-on-the-way cells; `raw` cells are HTML already.
    static func table(_ header: [String], _ rows: [[Cell]]) -> String {
        var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>" + row.map { "<td\($0.attributes)>\($0.html)</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    struct Cell {
        var html: String
        var attributes = ""
        static func text(_ text: String, _ attributes: String = "") -> Cell { Cell(html: escape(text), attributes: attributes) }
        static func link(_ text: String, _ href: String) -> Cell { Cell(html: "<a href=\"\(escape(href))\">\(escape(text))</a>") }
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

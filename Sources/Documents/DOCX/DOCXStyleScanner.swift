import Foundation

/// Reads what `DOCXStyles` needs from `styles.xml` (each style's id, name, parent, outline level
/// and list numbering) by scanning its bytes, without building the element tree.
///
/// Why: Word's `styles.xml` runs to hundreds of kilobytes of latent styles and run properties,
/// and building its tree cost more than reading the whole document body (release.docx: 350 KB
/// of styles, 4.5 KB of text). The scan looks only at `<w:style>` elements and the five child
/// tags that matter, with the prefix the root element declares. It returns nil for a part it
/// does not recognise (another root, no prefix), and the caller falls back to the tree, so
/// `DOCXStyleScannerTests` can check it against that reference on every fixture.
enum DOCXStyleScanner {
    static func styles(_ bytes: [UInt8]) -> [DOCXStyles.Style]? {
        bytes.withUnsafeBufferPointer { buffer in Scanner(buffer).styles() }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func styles() -> [DOCXStyles.Style]? {
            guard let prefix = rootPrefix() else { return nil }
            let open = Array("<\(prefix):style".utf8), close = Array("</\(prefix):style>".utf8)
            let val = Array("\(prefix):val=".utf8), styleId = Array("\(prefix):styleId=".utf8)
            let children = ["name", "basedOn", "outlineLvl", "numId", "ilvl"].map { Array("<\(prefix):\($0)".utf8) }
            var result: [DOCXStyles.Style] = []
            var position = 0
            while let start = find(open, from: position, to: bytes.count) {
                let after = start + open.count
                position = after
                // `<w:style ` or `<w:style>`, not `<w:styles` or `<w:styleLink`.
                guard after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x3E || bytes[after] == 0x09 || bytes[after] == 0x0A || bytes[after] == 0x0D || bytes[after] == 0x2F else { continue }
                guard let tagEnd = self.tagEnd(from: after) else { return nil }
                guard let id = attribute(styleId, in: start..<tagEnd) else { continue }
                var style = DOCXStyles.Style(id: id)
                if bytes[tagEnd - 2] != 0x2F {  // not self-closing (`/>`): look inside up to </w:style>
                    let end = find(close, from: tagEnd, to: bytes.count) ?? bytes.count
                    func value(_ child: Int) -> String? {
                        guard let at = findTag(children[child], from: tagEnd, to: end), let tagClose = self.tagEnd(from: at) else { return nil }
                        return attribute(val, in: at..<tagClose)
                    }
                    style.name = value(0)
                    style.basedOn = value(1)
                    style.outlineLevel = value(2).flatMap(Int.init)
                    style.numId = value(3)
                    style.numberingLevel = value(4).flatMap(Int.init)
                    position = end
                }
                result.append(style)
            }
            return result
        }

        /// The prefix of the root element when it is `PREFIX:styles`.
        func rootPrefix() -> String? {
            var position = 0
            while position < bytes.count {
                guard let lt = find([0x3C], from: position, to: bytes.count), lt + 1 < bytes.count else { return nil }
                let next = bytes[lt + 1]
                if next == 0x3F || next == 0x21 {  // <? ... ?> or <!-- ... -->
                    guard let end = find([0x3E], from: lt, to: bytes.count) else { return nil }
                    position = end + 1
                    continue
                }
                var nameEnd = lt + 1
                while nameEnd < bytes.count, ![0x20, 0x3E, 0x2F, 0x09, 0x0A, 0x0D].contains(bytes[nameEnd]) { nameEnd += 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(lt + 1)..<nameEnd]), as: UTF8.self)
                let parts = name.split(separator: ":")
                guard parts.count == 2, parts[1] == "styles" else { return nil }
                return String(parts[0])
            }
            return nil
        }

        /// The index just past the `>` that ends the tag whose name ends before `from`
        /// (quoted attribute values may hold `>`).
        func tagEnd(from: Int) -> Int? {
            var quote: UInt8 = 0
            var index = from
            while index < bytes.count {
                let byte = bytes[index]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == 0x22 || byte == 0x27 {
                    quote = byte
                } else if byte == 0x3E {
                    return index + 1
                }
                index += 1
            }
            return nil
        }

        /// The start of `<w:name` followed by a space, `/` or `>` in `from..<to`.
        func findTag(_ needle: [UInt8], from: Int, to: Int) -> Int? {
            var position = from
            while let at = find(needle, from: position, to: to) {
                let after = at + needle.count
                if after < to, [0x20, 0x2F, 0x3E, 0x09, 0x0A, 0x0D].contains(bytes[after]) { return at }
                position = after
            }
            return nil
        }

        /// An attribute's value (`w:val="Heading1"`) inside a tag, with the predefined entities
        /// decoded.
        func attribute(_ name: [UInt8], in range: Range<Int>) -> String? {
            var position = range.lowerBound
            while let at = find(name, from: position, to: range.upperBound) {
                // The name must start the attribute, not end a longer one (`w:val=` in `x:w:val=`).
                let before = bytes[at - 1]
                position = at + name.count
                guard before == 0x20 || before == 0x09 || before == 0x0A || before == 0x0D, position < range.upperBound else { continue }
                let quote = bytes[position]
                guard quote == 0x22 || quote == 0x27, let end = find([quote], from: position + 1, to: range.upperBound) else { return nil }
                let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 1)..<end]), as: UTF8.self)
                guard raw.contains("&") else { return raw }
                return raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
            return nil
        }

        /// The first index of `needle` in `from..<to`: memchr-style on its first byte.
        func find(_ needle: [UInt8], from: Int, to: Int) -> Int? {
            guard let first = needle.first, to - from >= needle.count else { return nil }
            var index = from
            let last = to - needle.count
            while index <= last {
                if bytes[index] == first {
                    var matched = 1
                    while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return index }
                }
                index += 1
            }
            return nil
        }
    }
}

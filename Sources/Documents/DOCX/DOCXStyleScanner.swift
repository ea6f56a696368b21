import Foundation

/// Reads what `DOCXStyles` needs from `styles.xml` (each style's id, name, parent, outline level
/// and list numbering) by scanning its bytes, without building the element tree.
///
/// Why: Word's `styles.xml` runs to hundreds of kilobytes of latent styles and run properties,
/// and building its tree cost more than reading the whole document body (release.docx: 350 KB
/// of styles, 4.5 KB of text). The scan looks only at `<w:style>` elements and, in one pass over
/// each, the first of the five child tags that matter, with the prefix the root element declares. It returns nil for a part it
/// does not recognise (another root, no prefix), and the caller falls back to the tree, so
/// `DOCXStyleScannerTests` can check it against that reference on every fixture.
enum DOCXStyleScanner {
    /// Every style of the part, or, given `needed` (the style ids the document's paragraphs
    /// name), only those and the ancestors (`basedOn`) whose heading level they inherit: the
    /// scan stops once all are known. Word lists its built-in styles early (release.docx's four
    /// are among the first 40 of 164), so most of the part is never looked at.
    static func styles(_ bytes: [UInt8], needed: Set<String>? = nil) -> [DOCXStyles.Style]? {
        bytes.withUnsafeBufferPointer { buffer in Scanner(buffer).styles(needed: needed) }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func styles(needed: Set<String>?) -> [DOCXStyles.Style]? {
            guard let prefix = rootPrefix() else { return nil }
            let tags = Tags(prefix)
            var wanted = needed ?? []
            var result: [DOCXStyles.Style] = []
            var passed: [String: Int] = [:]  // styles skipped so far: id -> where the start tag begins
            var position = 0
            while needed == nil || !wanted.isEmpty, let start = find(tags.open, from: position, to: bytes.count) {
                position = start + tags.open.count
                guard let header = header(at: start, tags) else { return nil }
                position = header.end
                guard let id = header.id else { continue }
                if needed != nil, !wanted.contains(id) {
                    if passed[id] == nil { passed[id] = start }
                    continue
                }
                let (style, end) = body(of: id, tags, from: header.end)
                position = end
                result.append(style)
                guard needed != nil else { continue }
                wanted.remove(id)
                // A style without a level of its own inherits its parent's: read the parent now
                // when it came earlier, or look for it further on.
                var current = style
                while DOCXStyles.ownLevel(current) == nil, let parent = current.basedOn, !result.contains(where: { $0.id == parent }) {
                    guard let at = passed[parent], let earlier = self.header(at: at, tags), earlier.id == parent else {
                        wanted.insert(parent)
                        break
                    }
                    current = body(of: parent, tags, from: earlier.end).style
                    result.append(current)
                }
            }
            return result
        }

        /// The byte patterns of one prefix (`w`).
        struct Tags {
            let open, close, val, styleId, tagPrefix: [UInt8]

            init(_ prefix: String) {
                open = Array("<\(prefix):style".utf8)
                close = Array("</\(prefix):style>".utf8)
                val = Array("\(prefix):val=".utf8)
                styleId = Array("\(prefix):styleId=".utf8)
                tagPrefix = Array("<\(prefix):".utf8)
            }
        }

        /// The start tag at `start` (`<w:style`): where it ends and its style id; nil when the
        /// tag never ends. A look-alike (`<w:styles`, `<w:styleLink`) has no id and ends where
        /// its name does.
        func header(at start: Int, _ tags: Tags) -> (id: String?, end: Int)? {
            let after = start + tags.open.count
            // `<w:style ` or `<w:style>`, not `<w:styles` or `<w:styleLink`.
            guard after < bytes.count, !Self.isNameByte(bytes[after]) else { return (nil, after) }
            guard let tagEnd = self.tagEnd(from: after) else { return nil }
            return (attribute(tags.styleId, in: start..<tagEnd), tagEnd)
        }

        /// The style whose start tag ends at `tagEnd`, and where its element ends.
        func body(of id: String, _ tags: Tags, from tagEnd: Int) -> (style: DOCXStyles.Style, end: Int) {
            var style = DOCXStyles.Style(id: id)
            guard bytes[tagEnd - 2] != 0x2F else { return (style, tagEnd) }  // self-closing (`/>`)
            let end = find(tags.close, from: tagEnd, to: bytes.count) ?? bytes.count
            read(&style, tags, from: tagEnd, to: end)
            return (style, end)
        }

        /// One pass over a style's tags: the first of each child that matters.
        func read(_ style: inout DOCXStyles.Style, _ tags: Tags, from start: Int, to end: Int) {
            let tagPrefix = tags.tagPrefix, val = tags.val
            var at = start
            while let tag = find(tagPrefix, from: at, to: end) {
                var nameEnd = tag + tagPrefix.count
                while nameEnd < end, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
                guard let close = self.tagEnd(from: nameEnd) else { break }
                at = close
                let local = UnsafeBufferPointer(rebasing: bytes[(tag + tagPrefix.count)..<nameEnd])
                switch local.count {
                case 4 where style.name == nil && local.elementsEqual("name".utf8): style.name = attribute(val, in: nameEnd..<close)
                case 7 where style.basedOn == nil && local.elementsEqual("basedOn".utf8): style.basedOn = attribute(val, in: nameEnd..<close)
                case 10 where style.outlineLevel == nil && local.elementsEqual("outlineLvl".utf8):
                    style.outlineLevel = attribute(val, in: nameEnd..<close).flatMap(Int.init)
                case 5 where style.numId == nil && local.elementsEqual("numId".utf8): style.numId = attribute(val, in: nameEnd..<close)
                case 4 where style.numberingLevel == nil && local.elementsEqual("ilvl".utf8):
                    style.numberingLevel = attribute(val, in: nameEnd..<close).flatMap(Int.init)
                default: continue
                }
            }
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
                while nameEnd < bytes.count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
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
                guard raw.utf8.contains(0x26) else { return raw }  // no `&`: nothing to decode
                return raw.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
            return nil
        }

        /// Whether `byte` continues an element name (not white space, `/`, `>` or `=`).
        static func isNameByte(_ byte: UInt8) -> Bool {
            byte != 0x20 && byte != 0x2F && byte != 0x3E && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x3D
        }

        /// The first index of `needle` in `from..<to`: `memchr` finds each candidate first byte.
        func find(_ needle: [UInt8], from: Int, to: Int) -> Int? {
            guard let first = needle.first, let base = bytes.baseAddress, to - from >= needle.count else { return nil }
            var index = from
            let last = to - needle.count
            while index <= last {
                guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var matched = 1
                while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
                index += 1
            }
            return nil
        }
    }
}

/// Turns a page's placed glyphs into lines and paragraphs in reading order: glyphs on one
/// baseline form a line (sorted left to right, with a space where the gap is a word gap), a wide
/// gap splits a line into segments (table cells, columns of a form), and consecutive lines with
/// the same size and ordinary line spacing form a paragraph.
///
/// Positions are the only evidence a PDF gives: LibreOffice, Word and Hancom all write Korean and
/// Latin runs of one line as separate text objects, in an order that need not be the reading order.
enum PDFTextLayout {
    struct Paragraph: Equatable {
        var text: String
        /// The largest font size in the paragraph.
        var size: Double
    }

    struct Segment {
        var text: String
        var x0: Double
        var x1: Double
        var y: Double
        var size: Double
    }

    /// Word gap: wider than this fraction of the font size gets a space.
    static let wordGap = 0.18
    /// Segment gap: wider than this many font sizes starts a new segment.
    static let segmentGap = 2.5
    /// Line spacing within a paragraph: at most this many font sizes from baseline to baseline.
    static let paragraphSpacing = 1.45

    static func paragraphs(_ glyphs: [PDFContentInterpreter.PlacedGlyph]) -> [Paragraph] {
        let lines = self.lines(glyphs)
        var paragraphs: [Paragraph] = []
        var open: Segment?  // the last line of the paragraph being built, when it can continue
        for line in lines {
            if line.count == 1, let segment = line.first, let previous = open, !paragraphs.isEmpty,
               previous.y - segment.y > 0, previous.y - segment.y <= paragraphSpacing * max(previous.size, segment.size),
               abs(previous.size - segment.size) <= 0.15 * max(previous.size, segment.size) {
                let last = paragraphs.count - 1
                let joiner = paragraphs[last].text.hasSuffix(" ") || segment.text.hasPrefix(" ") ? "" : " "
                paragraphs[last].text += joiner + segment.text
                paragraphs[last].size = max(paragraphs[last].size, segment.size)
                open = segment
                continue
            }
            for segment in line {
                paragraphs.append(Paragraph(text: segment.text, size: segment.size))
            }
            open = line.count == 1 ? line.first : nil
        }
        return paragraphs.compactMap { paragraph in
            let text = collapse(paragraph.text)
            return text.isEmpty ? nil : Paragraph(text: text, size: paragraph.size)
        }
    }

    /// Lines top to bottom, each a list of segments left to right.
    static func lines(_ glyphs: [PDFContentInterpreter.PlacedGlyph]) -> [[Segment]] {
        let visible = glyphs.filter { $0.size > 0.01 && $0.x.isFinite && $0.y.isFinite }
        guard !visible.isEmpty else { return [] }
        let order = visible.indices.sorted { visible[$0].y > visible[$1].y || (visible[$0].y == visible[$1].y && $0 < $1) }
        var groups: [[Int]] = []
        var baseline = 0.0
        var lineSize = 0.0
        for index in order {
            let glyph = visible[index]
            if let last = groups.indices.last, abs(baseline - glyph.y) <= 0.35 * max(lineSize, glyph.size) {
                groups[last].append(index)
                lineSize = max(lineSize, glyph.size)
            } else {
                groups.append([index])
                baseline = glyph.y
                lineSize = glyph.size
            }
        }
        return groups.map { group in
            let sorted = group.sorted { visible[$0].x < visible[$1].x || (visible[$0].x == visible[$1].x && $0 < $1) }
            var segments: [Segment] = []
            for index in sorted {
                let glyph = visible[index]
                if var current = segments.last {
                    let gap = glyph.x - current.x1
                    let size = max(current.size, glyph.size)
                    if gap > segmentGap * size {
                        segments.append(Segment(text: glyph.text, x0: glyph.x, x1: glyph.x + glyph.width, y: glyph.y, size: glyph.size))
                        continue
                    }
                    if gap > wordGap * size, !current.text.hasSuffix(" "), !glyph.text.hasPrefix(" ") { current.text += " " }
                    // A glyph drawn again over itself (fake bold, shadow) is shown once.
                    if gap < -0.5 * size, current.text.hasSuffix(glyph.text), glyph.text != " " { continue }
                    current.text += glyph.text
                    current.x1 = max(current.x1, glyph.x + glyph.width)
                    current.size = size
                    segments[segments.count - 1] = current
                } else {
                    segments.append(Segment(text: glyph.text, x0: glyph.x, x1: glyph.x + glyph.width, y: glyph.y, size: glyph.size))
                }
            }
            return segments
        }
    }

    /// Runs of white space become one space; control characters are dropped; ends trimmed.
    static func collapse(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
                pendingSpace = !out.isEmpty
            } else if scalar.value < 0x20 || scalar == "\u{FFFD}" || scalar == "\u{FEFF}" {
                continue
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// What a DOCX's `styles.xml` and `numbering.xml` say about paragraphs: which styles are
/// headings (their outline level, or a "heading N"/"Title" name), which carry list numbering,
/// and whether a numbering level is a bullet or a number (ECMA-376 Part 1, 17.7 and 17.9).
struct DOCXStyles {
    /// Style id -> heading level (1-based).
    private var headingLevels: [String: Int] = [:]
    /// Style id -> (numId, ilvl) defined by the style.
    private var styleNumbering: [String: (numId: String, level: Int)] = [:]
    /// numId -> level -> ordered?
    private var ordered: [String: [Int: Bool]] = [:]

    /// What one `<w:style>` says, as `DOCXStyleScanner` or the element tree reads it.
    struct Style: Equatable {
        var id: String
        var name: String?
        var basedOn: String?
        var outlineLevel: Int?
        var numId: String?
        var numberingLevel: Int?
    }

    /// The styles of a parsed `styles.xml` (the reference the scanner is checked against).
    static func styles(from tree: XMLElement?) -> [Style] {
        (tree?.children("style") ?? []).compactMap { style in
            guard let id = style.attribute("styleId") else { return nil }
            let numPr = style.child("pPr")?.child("numPr")
            return Style(id: id, name: style.child("name")?.attribute("val"), basedOn: style.child("basedOn")?.attribute("val"),
                         outlineLevel: style.child("pPr")?.child("outlineLvl")?.attribute("val").flatMap(Int.init),
                         numId: numPr?.child("numId")?.attribute("val"), numberingLevel: numPr?.child("ilvl")?.attribute("val").flatMap(Int.init))
        }
    }

    init(styles: [Style], numbering: XMLElement?) {
        var basedOn: [String: String] = [:]
        var ownLevels: [String: Int] = [:]
        for style in styles {
            let id = style.id
            if let parent = style.basedOn { basedOn[id] = parent }
            if let level = Self.ownLevel(style) { ownLevels[id] = level }
            if let numId = style.numId { styleNumbering[id] = (numId, style.numberingLevel ?? 0) }
        }
        // A style based on a heading is a heading too (follow at most 16 links: chains can loop).
        for id in Set(basedOn.keys).union(ownLevels.keys) {
            var current: String? = id
            for _ in 0..<16 {
                guard let style = current else { break }
                if let level = ownLevels[style] { headingLevels[id] = level; break }
                current = basedOn[style]
            }
        }
        var abstract: [String: [Int: Bool]] = [:]
        for definition in numbering?.children("abstractNum") ?? [] {
            guard let id = definition.attribute("abstractNumId") else { continue }
            var levels: [Int: Bool] = [:]
            for level in definition.children("lvl") {
                let index = level.attribute("ilvl").flatMap(Int.init) ?? 0
                let format = level.child("numFmt")?.attribute("val") ?? "decimal"
                levels[index] = format != "bullet" && format != "none"
            }
            abstract[id] = levels
        }
        for num in numbering?.children("num") ?? [] {
            guard let id = num.attribute("numId"), let abstractId = num.child("abstractNumId")?.attribute("val") else { continue }
            ordered[id] = abstract[abstractId] ?? [:]
        }
    }

    /// The heading level a style gives by itself: its outline level, or a "heading N"/"Title" name.
    static func ownLevel(_ style: Style) -> Int? {
        if let outline = style.outlineLevel, outline < 9 { return outline + 1 }
        let name = (style.name ?? "").lowercased()
        if name == "title" { return 1 }
        if name.hasPrefix("heading "), let level = Int(name.dropFirst(8)), (1...9).contains(level) { return level }
        return nil
    }

    func headingLevel(style: String?) -> Int? { style.flatMap { headingLevels[$0] } }

    /// The list level (1-based) and kind of a paragraph, from its own `numPr` or its style's;
    /// nil when it is not in a list (numId 0 switches numbering off).
    func listItem(numId: String?, level: Int?, style: String?) -> (level: Int, ordered: Bool)? {
        let fromStyle = style.flatMap { styleNumbering[$0] }
        guard let id = numId ?? fromStyle?.numId, id != "0", let levels = ordered[id] else { return nil }
        let index = level ?? fromStyle?.level ?? 0
        return (index + 1, levels[index] ?? true)
    }
}

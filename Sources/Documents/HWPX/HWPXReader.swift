import Foundation

/// Reads Hangul HWPX documents (OWPML, KS X 6101): the sections `Contents/content.hpf` lists in
/// its spine, in order; paragraphs whose paragraph shape has an outline heading
/// (`hh:heading type="OUTLINE"`) become headings of that level, numbered and bulleted shapes list
/// items; tables keep merged cells once (Hangul leaves the covered cells out); text boxes follow
/// the paragraph that anchors them; footnotes and endnotes come at the end as `[^n]: text`.
/// Positions are section and paragraph numbers.
struct HWPXReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.hwpx] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let package = try OfficePackage(bytes, file: file, limits: limits)
        let manifest = try package.xml("Contents/content.hpf")
        var sections = Self.sectionParts(manifest)
        if sections.isEmpty {
            // No manifest: Hangul names sections Contents/section0.xml, section1.xml, ...
            while package.contains("Contents/section\(sections.count).xml") { sections.append("Contents/section\(sections.count).xml") }
        }
        guard !sections.isEmpty else {
            throw DocumentError(file: file, "the package has no Contents/section0.xml; is it an HWPX document?")
        }
        let shapes = HWPXParagraphShapes(header: try package.xml("Contents/header.xml"))
        var walker = HWPXSectionWalker(shapes: shapes, file: file, maximumDepth: limits.maximumDepth)
        for (index, part) in sections.enumerated() {
            let section = try package.requiredXML(part, "section \(index + 1)")
            try walker.walk(section, section: index + 1, part: part)
        }
        var output = walker.output
        output.appendNotes()
        let title = manifest?.descendants("title").first?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return DocumentText(title: (title?.isEmpty == false ? title : nil) ?? output.firstHeading, blocks: output.blocks, format: .hwpx)
    }

    /// The section parts in spine order (manifest items whose href is a `Contents/section*.xml`).
    static func sectionParts(_ manifest: XMLElement?) -> [String] {
        guard let manifest else { return [] }
        var hrefs: [String: String] = [:]
        for item in manifest.descendants("item") {
            if let id = item.attribute("id"), let href = item.attribute("href") { hrefs[id] = href }
        }
        return manifest.descendants("itemref").compactMap { hrefs[$0.attribute("idref") ?? ""] }.filter {
            let name = ($0 as NSString).lastPathComponent
            return name.hasPrefix("section") && name.hasSuffix(".xml")
        }
    }
}

/// What `Contents/header.xml` says about paragraph shapes: their outline or list level.
struct HWPXParagraphShapes {
    enum Role: Equatable {
        case heading(level: Int)
        case listItem(level: Int, ordered: Bool)
    }

    private var roles: [String: Role] = [:]

    init(header: XMLElement?) {
        for shape in header?.descendants("paraPr") ?? [] {
            guard let id = shape.attribute("id"), let heading = shape.child("heading") else { continue }
            let level = (heading.attribute("level").flatMap(Int.init) ?? 0) + 1
            switch heading.attribute("type") {
            case "OUTLINE": roles[id] = .heading(level: min(level, 9))
            case "NUMBER": roles[id] = .listItem(level: level, ordered: true)
            case "BULLET": roles[id] = .listItem(level: level, ordered: false)
            default: continue
            }
        }
    }

    func role(_ paragraphShape: String?) -> Role? { paragraphShape.flatMap { roles[$0] } }
}

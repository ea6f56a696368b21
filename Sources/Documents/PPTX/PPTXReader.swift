import Foundation

/// Reads PowerPoint presentations (PPTX, ECMA-376 PresentationML): slides in the order
/// `presentation.xml` lists them; per slide the title placeholder as a heading, body
/// placeholders' paragraphs as list items (their `lvl` as the level), other text boxes as
/// paragraphs, tables with merged cells read once, then the speaker notes. Every block carries
/// its slide number.
struct PPTXReader: DocumentFormatReader {
    var formats: [DocumentFormat] { [.pptx] }

    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        let package = try OfficePackage(bytes, file: file, limits: limits)
        let main = DOCXReader.mainPart(package) == "word/document.xml" ? "ppt/presentation.xml" : DOCXReader.mainPart(package)
        let presentation = try package.requiredXML(main, "the presentation")
        let relationships = try package.relationships(of: main)
        var blocks: [DocumentBlock] = []
        var title: String?
        let slideIds = presentation.child("sldIdLst")?.children("sldId") ?? []
        for (index, slideId) in slideIds.enumerated() {
            guard let id = slideId.attribute("r:id") ?? slideId.attribute("id"), let part = relationships[id]?.target else { continue }
            let position = DocumentPosition(slide: index + 1)
            guard let slide = try package.xml(part) else {
                throw DocumentError(file: file, .entry(part), "slide \(index + 1) is listed but its part is missing")
            }
            var shapes = PPTXShapeWalker(maximumDepth: limits.maximumDepth)
            try shapes.walk(slide.child("cSld")?.child("spTree"), file: file, part: part)
            for kind in shapes.kinds {
                if title == nil, case .heading(_, let text) = kind { title = text }
                blocks.append(DocumentBlock(kind, at: position))
            }
            let slideRelationships = try package.relationships(of: part)
            if let notesPart = slideRelationships.values.first(where: { $0.type == "notesSlide" })?.target,
               let notes = try package.xml(notesPart) {
                let text = Self.notesText(notes)
                if !text.isEmpty { blocks.append(DocumentBlock(.note(text), at: position)) }
            }
        }
        let core = try package.xml("docProps/core.xml")
        let coreTitle = core?.child("title")?.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return DocumentText(title: (coreTitle?.isEmpty == false ? coreTitle : nil) ?? title, blocks: blocks, format: .pptx)
    }

    /// The text of a notes slide's body placeholder (the slide image and number are not notes).
    static func notesText(_ notes: XMLElement) -> String {
        var paragraphs: [String] = []
        for shape in notes.descendants("sp") where shape.descendants("ph").first?.attribute("type") == "body" {
            for paragraph in shape.child("txBody")?.children("p") ?? [] {
                let text = PPTXShapeWalker.paragraphText(paragraph).trimmingCharacters(in: .whitespaces)
                if !text.isEmpty { paragraphs.append(text) }
            }
        }
        return paragraphs.joined(separator: "\n")
    }
}

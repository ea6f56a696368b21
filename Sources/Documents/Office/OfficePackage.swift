/// A ZIP-based office document (OOXML's Open Packaging Conventions, or OWPML): parts read as XML
/// trees, relationships resolved to part names, and one inflation budget for the whole document.
///
/// Relationship targets are resolved against the part that names them (`../media/a.png` from
/// `word/document.xml`) purely as strings; a target that would climb above the package root
/// resolves to nothing.
final class OfficePackage {
    let archive: ZIPArchive
    let file: String
    private var budget: ZIPBudget

    init(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) {
        archive = try ZIPArchive(bytes, file: file, limits: limits)
        self.file = file
        budget = archive.budget
    }

    func contains(_ part: String) -> Bool { archive.entry(part) != nil }

    /// The parsed part, or nil when the package has no such part.
    func xml(_ part: String) throws(DocumentError) -> XMLElement? {
        guard let bytes = try bytes(part) else { return nil }
        return try XMLTreeBuilder.parse(bytes, file: file, entry: part)
    }

    /// The part's inflated bytes (for a reader that scans instead of building a tree), or nil.
    func bytes(_ part: String) throws(DocumentError) -> [UInt8]? {
        try archive.data(part, budget: &budget)
    }

    /// The parsed part, or an error saying the document lacks it.
    func requiredXML(_ part: String, _ role: String) throws(DocumentError) -> XMLElement {
        guard let element = try xml(part) else {
            throw DocumentError(file: file, "the package has no \(part) (\(role)); is the file damaged?")
        }
        return element
    }

    /// A relationship of a part: its type URI's last segment (`slide`, `notesSlide`) and the part
    /// it points to.
    struct Relationship {
        var type: String
        var target: String
    }

    /// The relationships of `part`, by id (`rId3`), from `dir/_rels/name.rels`.
    func relationships(of part: String) throws(DocumentError) -> [String: Relationship] {
        let directory = Self.directory(of: part)
        let name = part.split(separator: "/").last.map(String.init) ?? part
        guard let rels = try xml(directory + "_rels/" + name + ".rels") else { return [:] }
        var result: [String: Relationship] = [:]
        for relationship in rels.children("Relationship") {
            guard let id = relationship.attribute("Id"), let target = relationship.attribute("Target"),
                  relationship.attribute("TargetMode") != "External",
                  let resolved = Self.resolve(target, from: directory) else { continue }
            let type = relationship.attribute("Type")?.split(separator: "/").last.map(String.init) ?? ""
            result[id] = Relationship(type: type, target: resolved)
        }
        return result
    }

    /// `word/` for `word/document.xml`, empty for a part at the root.
    static func directory(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "" }
        return String(part[...slash])
    }

    /// `target` resolved against `directory`: `/xl/a.xml` is absolute in the package; `..` climbs
    /// one folder and may not climb above the root.
    static func resolve(_ target: String, from directory: String) -> String? {
        var parts: [Substring] = target.hasPrefix("/") ? [] : directory.split(separator: "/")
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if parts.popLast() == nil { return nil }
            default: parts.append(component)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}

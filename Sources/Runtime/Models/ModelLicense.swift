/// A model file's license as its GGUF metadata states it (`general.license`, with
/// `general.license.name` / `general.license.link` where the converter wrote them), and whether
/// it forbids commercial use, which an agency must know before a client job runs on it.
public struct ModelLicense: Sendable, Equatable {
    /// The license identifier or text (`general.license`).
    public var identifier: String
    /// The license's display name (`general.license.name`), if any.
    public var name: String?
    /// Where the license text is (`general.license.link`), if any.
    public var link: String?

    /// The license of `file`, nil when the metadata names none.
    public init?(file: GGUFFile) {
        guard let identifier = file.string("general.license"), !identifier.isEmpty else { return nil }
        self.identifier = identifier
        name = file.string("general.license.name")
        link = file.string("general.license.link")
    }

    public init(identifier: String, name: String? = nil, link: String? = nil) {
        self.identifier = identifier
        self.name = name
        self.link = link
    }

    /// Whether the license restricts use to non-commercial purposes: Creative Commons NC
    /// variants, and licenses that say so by name (EXAONE's "exaone" license is
    /// research-only, "EXAONE AI Model License Agreement 1.2 - NC").
    public var isNonCommercial: Bool {
        let text = ([identifier, name ?? ""]).joined(separator: " ").lowercased()
        let markers = ["-nc", "_nc", " nc", "non-commercial", "noncommercial", "non commercial", "exaone", "research-only", "research only"]
        return markers.contains { text.contains($0) }
    }

    /// One line for `baton model info`.
    public var summary: String {
        var text = identifier
        if let name, name != identifier { text += " (\(name))" }
        if let link { text += ", \(link)" }
        return text
    }
}

/// The formats Baton reads, told apart by their first bytes first and the extension second (a
/// `.doc` that is really a DOCX is read as DOCX; a ZIP's entries tell DOCX, PPTX, XLSX and HWPX apart).
public enum DocumentFormat: String, Sendable, Equatable, Hashable, CaseIterable {
    case text, markdown, csv, html
    case docx, pptx, xlsx, hwpx
    case pdf
    /// HWP 5.0 (an OLE2 compound file).
    case hwp

    /// The format an extension names, if any.
    public init?(extension ext: String) {
        switch ext.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "csv", "tsv": self = .csv
        case "html", "htm": self = .html
        case "docx": self = .docx
        case "pptx": self = .pptx
        case "xlsx": self = .xlsx
        case "hwpx": self = .hwpx
        case "pdf": self = .pdf
        case "hwp": self = .hwp
        default: return nil
        }
    }

    /// Whether the format is a ZIP container of XML parts.
    public var isZipContainer: Bool { [.docx, .pptx, .xlsx, .hwpx].contains(self) }

    /// The kind of container the first bytes announce: `zip`, `pdf`, `ole2`, or nil for anything else.
    public static func magic(_ head: some Collection<UInt8>) -> Magic? {
        let bytes = Array(head.prefix(8))
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if bytes.starts(with: Array("%PDF-".utf8)) { return .pdf }
        if bytes == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] { return .ole2 }
        return nil
    }

    /// A container kind told by magic bytes.
    public enum Magic: Sendable, Equatable { case zip, pdf, ole2 }
}

import Foundation

/// The entry point: read any supported document into `DocumentText`.
///
/// The format comes from the file's first bytes (ZIP, PDF, OLE2 and, for a ZIP, the entries it
/// holds), then from its extension; a registry maps the format to its reader.
public enum Documents {
    /// Reads the document at `url`.
    public static func read(_ url: URL, limits: DocumentLimits = .standard,
                            registry: DocumentReaderRegistry = .standard) throws(DocumentError) -> DocumentText {
        let file = url.path
        let bytes = try load(file, limits: limits)
        return try read(bytes, file: file, limits: limits, registry: registry)
    }

    /// Reads `bytes` as the content of `file` (whose extension is the fallback for sniffing).
    public static func read(_ bytes: [UInt8], file: String, limits: DocumentLimits = .standard,
                            registry: DocumentReaderRegistry = .standard) throws(DocumentError) -> DocumentText {
        let format = try self.format(of: bytes, file: file)
        guard let reader = registry.reader(for: format) else {
            throw DocumentError(file: file, "\(format.rawValue.uppercased()) documents cannot be read yet")
        }
        return try reader.read(bytes, file: file, limits: limits)
    }

    /// The format of `bytes`, by magic bytes and then by `file`'s extension; plain text when neither tells.
    public static func format(of bytes: [UInt8], file: String) throws(DocumentError) -> DocumentFormat {
        let byExtension = DocumentFormat(extension: (file as NSString).pathExtension)
        switch DocumentFormat.magic(bytes) {
        case .pdf: return .pdf
        case .ole2: return .hwp
        case .zip:
            if let inside = zipFormat(bytes) { return inside }
            if let byExtension, byExtension.isZipContainer { return byExtension }
            throw DocumentError(file: file, "a ZIP archive that is not a DOCX, PPTX, XLSX or HWPX document")
        case nil:
            if let byExtension, !byExtension.isZipContainer, byExtension != .pdf, byExtension != .hwp { return byExtension }
            if let byExtension {
                throw DocumentError(file: file, .byteOffset(0), "not a \(byExtension.rawValue.uppercased()) file (its first bytes are not a \(byExtension == .pdf ? "PDF header" : byExtension == .hwp ? "compound-file header" : "ZIP header"))")
            }
            return .text
        }
    }

    /// The office format a ZIP's entries announce (its main part, or HWPX's `mimetype`); nil
    /// when the archive cannot be read or holds none of them.
    static func zipFormat(_ bytes: [UInt8]) -> DocumentFormat? {
        guard let archive = try? ZIPArchive(bytes, file: "") else { return nil }
        if archive.entry("word/document.xml") != nil { return .docx }
        if archive.entry("ppt/presentation.xml") != nil { return .pptx }
        if archive.entry("xl/workbook.xml") != nil { return .xlsx }
        if archive.entry("Contents/section0.xml") != nil || archive.entry("Contents/content.hpf") != nil { return .hwpx }
        return nil
    }

    /// The file's bytes, refusing one larger than the limit before reading it.
    public static func load(_ file: String, limits: DocumentLimits = .standard) throws(DocumentError) -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: file) } catch {
            throw DocumentError(file: file, "no such file")
        }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
            throw DocumentError(file: file, "is a directory, not a document")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limits.maximumFileBytes else {
            throw DocumentError(file: file, "file is \(size) bytes, more than the \(limits.maximumFileBytes >> 20) MB limit")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DocumentError(file: file, "cannot read the file")
        }
        return [UInt8](data)
    }
}

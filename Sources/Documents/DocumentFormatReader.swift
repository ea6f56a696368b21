/// A reader for one or more formats; `Documents` picks one by the sniffed format.
///
/// Readers get the whole file's bytes (already bounded by `DocumentLimits.maximumFileBytes`) and
/// the name to put in errors; they never open paths themselves, so tests and fuzzers feed bytes.
public protocol DocumentFormatReader: Sendable {
    /// The formats this reader handles.
    var formats: [DocumentFormat] { get }
    /// Reads `bytes` (the content of `file`) into text.
    func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText
}

/// The readers `Documents.read` chooses from, by format. A later reader for the same format wins,
/// so a caller can plug in its own.
public struct DocumentReaderRegistry: Sendable {
    private var readers: [DocumentFormat: any DocumentFormatReader] = [:]

    public init(_ readers: [any DocumentFormatReader] = []) {
        for reader in readers { register(reader) }
    }

    public mutating func register(_ reader: any DocumentFormatReader) {
        for format in reader.formats { readers[format] = reader }
    }

    public func reader(for format: DocumentFormat) -> (any DocumentFormatReader)? { readers[format] }

    /// The formats some reader handles.
    public var formats: Set<DocumentFormat> { Set(readers.keys) }

    /// Every reader Baton ships: the ZIP-based formats and text here, PDF/HWP from
    /// `DocumentReaderRegistry+Legacy.swift`.
    public static let standard = DocumentReaderRegistry(containerReaders + legacyReaders)

    /// The readers of the formats built on this module's ZIP and text code.
    static var containerReaders: [any DocumentFormatReader] { [PlainTextReader(), DOCXReader(), PPTXReader(), XLSXReader(), HWPXReader()] }
}

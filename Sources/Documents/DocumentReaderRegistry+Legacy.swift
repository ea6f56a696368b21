extension DocumentReaderRegistry {
    /// The readers of the formats that are not ZIP containers: PDF (`Documents/PDF`), later HWP 5
    /// (OLE2).
    static var legacyReaders: [any DocumentFormatReader] { [PDFReader()] }
}

extension DocumentReaderRegistry {
    /// The readers of the formats that are not ZIP containers: PDF (`Documents/PDF`) and HWP 5
    /// (an OLE2 compound file, `Documents/OLE2` and `Documents/HWP`).
    static var legacyReaders: [any DocumentFormatReader] { [PDFReader(), HWPReader()] }
}

extension DocumentReaderRegistry {
    /// The readers of PDF and HWP 5 (OLE2), owned by `Documents/PDF`, `Documents/OLE2` and
    /// `Documents/HWP`: add them here (e.g. `[PDFReader(), HWPReader()]`).
    static var legacyReaders: [any DocumentFormatReader] { [] }
}

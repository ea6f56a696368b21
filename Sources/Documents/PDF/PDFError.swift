/// A problem inside a PDF, with where it is: a byte offset in the file, a page, and the object or
/// stream involved. `PDFReader` turns it into a `DocumentError` naming the file.
struct PDFError: Error, Sendable, Equatable {
    var offset: Int?
    var page: Int?
    var message: String

    init(at offset: Int? = nil, page: Int? = nil, _ message: String) {
        self.offset = offset
        self.page = page
        self.message = message
    }

    /// The same problem, placed on `page` when it has no page yet.
    func onPage(_ page: Int) -> PDFError {
        var copy = self
        if copy.page == nil { copy.page = page }
        return copy
    }

    func documentError(file: String) -> DocumentError {
        switch (page, offset) {
        case (let page?, let offset?): return DocumentError(file: file, .page(page), "byte \(offset): \(message)")
        case (let page?, nil): return DocumentError(file: file, .page(page), message)
        case (nil, let offset?): return DocumentError(file: file, .byteOffset(offset), message)
        case (nil, nil): return DocumentError(file: file, message)
        }
    }
}

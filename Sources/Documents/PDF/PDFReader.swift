import Foundation
import Base

/// Reads the text of a PDF into `DocumentText`: one block per paragraph (headings where the font
/// is clearly larger than the body's), each with its page.
///
/// A page that shows no text (a scanned image) is listed in `pagesWithoutText` and gets a note
/// block saying so, so a user sees why a document has less text than pages.
public struct PDFReader: DocumentFormatReader {
    public var formats: [DocumentFormat] { [.pdf] }

    public init() {}

    /// What reading a PDF found.
    public struct Result: Sendable, Equatable {
        public var text: DocumentText
        public var pageCount: Int
        /// 1-based numbers of the pages without any text.
        public var pagesWithoutText: [Int]
    }

    public func read(_ bytes: [UInt8], file: String, limits: DocumentLimits) throws(DocumentError) -> DocumentText {
        try readPDF(bytes, file: file, limits: limits).text
    }

    public func readPDF(_ bytes: [UInt8], file: String, limits: DocumentLimits = .standard) throws(DocumentError) -> Result {
        let outcome: Swift.Result<Result, PDFError> = bytes.withUnsafeBytes { buffer in
            do throws(PDFError) { return .success(try Self.extract(buffer, limits: limits)) } catch { return .failure(error) }
        }
        do { return try outcome.get() } catch { throw error.documentError(file: file) }
    }

    /// Reads the PDF at `path` through a memory map, so a 200 MB file is paged in as needed
    /// rather than copied.
    public func readPDF(contentsOf path: String, limits: DocumentLimits = .standard) throws(DocumentError) -> Result {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw DocumentError(file: path, "cannot read the file: \(SystemErrorText.describe(error))")
        }
        guard data.count <= limits.maximumFileBytes else {
            throw DocumentError(file: path, "file is \(data.count) bytes, more than the \(limits.maximumFileBytes >> 20) MB limit")
        }
        let outcome: Swift.Result<Result, PDFError> = data.withUnsafeBytes { buffer in
            do throws(PDFError) { return .success(try Self.extract(buffer, limits: limits)) } catch { return .failure(error) }
        }
        do { return try outcome.get() } catch { throw error.documentError(file: path) }
    }

    /// A paragraph's font size in half points, the key of the size histogram. A page's matrices
    /// are input and can scale text to 10^31 points or infinity: clamped to 10,000 points (far
    /// above any real heading) so the conversion to `Int` cannot trap.
    static func sizeKey(_ size: Double) -> Int {
        size.isFinite ? Int((Swift.min(Swift.max(size, 0), 10_000) * 2).rounded()) : 20_000
    }

    static func extract(_ buffer: UnsafeRawBufferPointer, limits: DocumentLimits) throws(PDFError) -> Result {
        let file = try PDFFile(bytes: buffer, limits: limits)
        let pages = try file.pages()
        var perPage: [[PDFTextLayout.Paragraph]] = []
        var sizes: [Int: Int] = [:]  // rounded font size -> characters, to find the body size
        for (index, page) in pages.enumerated() {
            do throws(PDFError) {
                var interpreter = PDFContentInterpreter(file: file)
                try interpreter.run(try file.contents(of: page), resources: page.resources)
                let paragraphs = PDFTextLayout.paragraphs(interpreter.glyphs)
                for paragraph in paragraphs { sizes[Self.sizeKey(paragraph.size), default: 0] += paragraph.text.count }
                perPage.append(paragraphs)
            } catch {
                throw error.onPage(index + 1)
            }
        }
        let body = Double(sizes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 24) / 2
        var blocks: [DocumentBlock] = []
        var empty: [Int] = []
        for (index, paragraphs) in perPage.enumerated() {
            let position = DocumentPosition(page: index + 1)
            if paragraphs.isEmpty {
                empty.append(index + 1)
                blocks.append(DocumentBlock(.note("page \(index + 1) has no text (a scanned image or a blank page)"), at: position))
            }
            for paragraph in paragraphs {
                if paragraph.size >= 1.25 * body, paragraph.text.count <= 200 {
                    blocks.append(DocumentBlock(.heading(level: paragraph.size >= 1.6 * body ? 1 : 2, text: paragraph.text), at: position))
                } else {
                    blocks.append(DocumentBlock(.paragraph(paragraph.text), at: position))
                }
            }
        }
        var title = file.title()
        if title == nil, let first = blocks.first(where: { if case .heading = $0.kind { return true } else { return false } }) {
            title = first.text
        }
        let text = DocumentText(title: title, blocks: blocks, format: .pdf)
        return Result(text: text, pageCount: pages.count, pagesWithoutText: empty)
    }
}

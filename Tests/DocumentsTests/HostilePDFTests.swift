import Documents
import Testing

/// Hand-made hostile PDFs: a stream whose /Length lies, references that form a cycle, a
/// cross-reference chain whose /Prev leads back to itself, a page tree that contains itself.
/// Each is read or refused with an error naming the file, never a hang.
@Suite struct HostilePDFTests {
    /// A PDF of `objects` (numbered from 1) with a correct xref table, unless `prev` adds a /Prev.
    static func pdf(_ objects: [String], prevToSelf: Bool = false) -> [UInt8] {
        var out = "%PDF-1.7\n"
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R" + (prevToSelf ? " /Prev \(xref)" : "") + " >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }

    static let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    static let content = "BT /F1 12 Tf 72 720 Td (Baton reads hostile files.) Tj ET"

    static func page(contents: String = "4 0 R") -> String {
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(contents) >>"
    }

    @Test(arguments: [0, 5, 40, 100_000])
    func aStreamWhoseLengthLiesIsReadToItsEndstream(_ length: Int) throws {
        let bytes = Self.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", Self.font,
                              "<< /Length \(length) >>\nstream\n\(Self.content)\nendstream", Self.page()])
        let text = try Documents.read(bytes, file: "lying.pdf")
        #expect(text.plainText == "Baton reads hostile files.")
    }

    @Test func referencesThatFormACycleAreAnErrorNotALoop() throws {
        let bytes = Self.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", Self.font,
                              "6 0 R", Self.page(), "4 0 R"])
        do {
            let text = try Documents.read(bytes, file: "cycle.pdf")
            #expect(!text.plainText.contains("Baton"))  // the page's contents lead nowhere
        } catch {
            #expect(error.file == "cycle.pdf")
            #expect(error.message.contains("cycle") || error.message.contains("does not end"), "\(error)")
        }
    }

    @Test func anXrefWhosePrevLeadsBackToItselfIsCaught() throws {
        let bytes = Self.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", Self.font,
                              "<< /Length \(Self.content.utf8.count) >>\nstream\n\(Self.content)\nendstream", Self.page()], prevToSelf: true)
        // The loop is caught, then the objects are found by scanning, as viewers do.
        let text = try Documents.read(bytes, file: "loop.pdf")
        #expect(text.plainText == "Baton reads hostile files.")
    }

    @Test func aPageTreeThatContainsItselfIsAnError() throws {
        let bytes = Self.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 5 0 R] /Count 2 >>", Self.font,
                              "<< /Length \(Self.content.utf8.count) >>\nstream\n\(Self.content)\nendstream", Self.page()])
        let error = try #require(throws: DocumentError.self) { try Documents.read(bytes, file: "tree.pdf") }
        #expect(error == DocumentError(file: "tree.pdf", "the page tree refers back to object 2 0 (a cycle)"))
    }
}

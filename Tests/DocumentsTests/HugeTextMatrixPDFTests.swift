import Documents
import Testing

/// Issue 18 item 3: a PDF's matrices are input. Text drawn through a text matrix and a `cm` of
/// 10^15 each has an effective font size of 10^31 (or infinity, with one more `cm`): the reader
/// used to round that size into an `Int` key of its font-size histogram, which traps past
/// `Int.max`. Such a page is read like any other.
@Suite struct HugeTextMatrixPDFTests {
    static let huge = "999999999999999 0 0 999999999999999 0 0"

    @Test(arguments: [1, 2, 12])
    func textAtAnAbsurdFontSizeIsReadNotATrap(matrices: Int) throws {
        let scale = String(repeating: "\(Self.huge) cm ", count: matrices)
        let content = "q \(scale)BT /F1 12 Tf \(Self.huge) Tm (Huge text) Tj ET Q BT /F1 12 Tf 72 720 Td (Baton reads hostile files.) Tj ET"
        let bytes = HostilePDFTests.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", HostilePDFTests.font,
                                         "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream", HostilePDFTests.page()])
        let text = try Documents.read(bytes, file: "huge.pdf")
        #expect(text.plainText.contains("Baton reads hostile files."), "\(text.plainText)")
    }
}

@testable import Documents

extension DocumentTable {
    /// The press release's table of support items (release.docx, notice.hwp): a heading cell
    /// spanning both columns and a row label spanning two rows, the merges every reader must keep.
    static let supportItems = DocumentTable(rows: [
        [TableCell("지원 항목", colSpan: 2)],
        [TableCell("기간"), TableCell("2년")],
        [TableCell("대상", rowSpan: 2), TableCell("중소기업 120곳")],
        [TableCell("지역 대학")],
    ])

    /// The schedule table of briefing.pptx and notice.hwpx: the same heading cell over the period
    /// and the deadline.
    static let schedule = DocumentTable(rows: [[TableCell("지원 항목", colSpan: 2)], [TableCell("기간"), TableCell("2년")],
                                               [TableCell("신청 마감"), TableCell("12월 15일")]])
}

import Base

/// Plain-text tables for terminal output (`baton runs`, the benchmarks): columns padded to the
/// widest cell in terminal cells, so Korean text (two cells a syllable) lines up.
public enum TextTable {
    /// `rows` joined by two spaces a column, every column but the last padded.
    public static func format(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], DisplayWidth.cells(cell)) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - DisplayWidth.cells(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

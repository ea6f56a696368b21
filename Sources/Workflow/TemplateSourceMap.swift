import YAML

/// Maps a line:column inside a template back to the line:column of the YAML file it was written in.
///
/// Block scalars (`|`, `>`) keep their lines, shifted by the indentation; quoted scalars shift by the
/// opening quote and by escape sequences on their first line; later lines of folded or multi-line
/// flow scalars are mapped on a best-effort basis (the line, and the column within it).
struct TemplateSourceMap: Sendable, Equatable {
    /// For each template line (index 0 = line 1): the file line and the file column of its first character.
    var lineStarts: [(line: Int, column: Int)]
    /// For the first template line of a quoted scalar: the file column of each character, so
    /// escapes (`\"`, `''`, `\u00e9`) keep the columns right.
    var firstLineColumns: [Int]
    /// Characters prepended to the text to make the template (`{{ ` around a bare expression).
    var prefixLength: Int
    var file: String
    /// For folded block scalars (`>`), where single line breaks become spaces: each file line's
    /// piece of the template (template line, first template column, file line, file column, length).
    var foldedSegments: [FoldedSegment] = []

    struct FoldedSegment: Equatable {
        var templateLine: Int
        var templateColumn: Int
        var fileLine: Int
        var fileColumn: Int
        var length: Int
    }

    static func == (a: TemplateSourceMap, b: TemplateSourceMap) -> Bool {
        a.file == b.file && a.prefixLength == b.prefixLength && a.firstLineColumns == b.firstLineColumns
            && a.foldedSegments == b.foldedSegments && a.lineStarts.map(\.line) == b.lineStarts.map(\.line) && a.lineStarts.map(\.column) == b.lineStarts.map(\.column)
    }

    /// The file position of template position `line`:`column` (both 1-based).
    func location(line: Int, column: Int) -> SourceLocation {
        var templateColumn = column
        if line == 1 { templateColumn = max(1, column - prefixLength) }
        if line == 1, !firstLineColumns.isEmpty {
            let index = templateColumn - 1
            let fileColumn = index < firstLineColumns.count ? firstLineColumns[index] : (firstLineColumns.last ?? 1) + index - firstLineColumns.count + 1
            return SourceLocation(file: file, line: lineStarts.first?.line ?? 1, column: fileColumn)
        }
        if let segment = foldedSegments.last(where: { $0.templateLine == line && $0.templateColumn <= templateColumn }) {
            return SourceLocation(file: file, line: segment.fileLine, column: segment.fileColumn + templateColumn - segment.templateColumn)
        }
        guard !lineStarts.isEmpty else { return SourceLocation(file: file, line: 1, column: templateColumn) }
        let index = min(max(line - 1, 0), lineStarts.count - 1)
        let start = lineStarts[index]
        let extraLines = max(line - 1, 0) - index
        return SourceLocation(file: file, line: start.line + extraLines, column: start.column + templateColumn - 1)
    }

    /// `message` with each "at LINE:COL" (a template position) replaced by the file position.
    func fileMessage(_ message: String) -> String {
        var result = ""
        var rest = Substring(message)
        while let range = rest.range(of: "at ") {
            result += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let digits = rest.prefix(while: { $0.isNumber || $0 == ":" })
            let parts = digits.split(separator: ":")
            if parts.count == 2, let line = Int(parts[0]), let column = Int(parts[1]) {
                let location = location(line: line, column: column)
                result += "line \(location.line), column \(location.column)"
                rest = rest[digits.endIndex...]
            }
        }
        return result + rest
    }

    /// The map of a scalar whose value is `text`, written at `mark` in `lines` (the file's lines).
    init(scalar: Scalar, mark: Mark, lines: [Substring], file: String, prefixLength: Int = 0) {
        self.file = file
        self.prefixLength = prefixLength
        self.firstLineColumns = []
        self.lineStarts = []
        let valueLineCount = scalar.value.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        switch scalar.style {
        case .literal, .folded:
            // The content starts on the line after the indicator; its indentation is that of the
            // first non-blank content line.
            var indent = mark.column
            var probe = mark.line  // 0-based index of the line after the indicator
            while probe < lines.count {
                let line = lines[probe]
                if line.contains(where: { $0 != " " }) {
                    indent = line.prefix(while: { $0 == " " }).count + 1
                    break
                }
                probe += 1
            }
            lineStarts = (0..<max(valueLineCount, 1)).map { (line: mark.line + 1 + $0, column: indent) }
            if scalar.style == .folded {
                foldedSegments = TemplateSourceMap.foldedSegments(lines: lines, from: mark.line, indent: indent)
            }
        case .plain:
            lineStarts = [(line: mark.line, column: mark.column)]
            lineStarts += TemplateSourceMap.continuationStarts(after: mark.line, count: valueLineCount - 1, lines: lines)
        case .singleQuoted, .doubleQuoted:
            lineStarts = [(line: mark.line, column: mark.column + 1)]
            lineStarts += TemplateSourceMap.continuationStarts(after: mark.line, count: valueLineCount - 1, lines: lines)
            if mark.line - 1 < lines.count {
                firstLineColumns = TemplateSourceMap.quotedColumns(
                    Array(lines[mark.line - 1].unicodeScalars.dropFirst(mark.column)), startColumn: mark.column + 1,
                    doubleQuoted: scalar.style == .doubleQuoted)
            }
        }
    }

    /// Where each content line of a folded scalar lands in the folded text: lines separated by a
    /// single line break are joined with a space; each blank line starts a new template line.
    private static func foldedSegments(lines: [Substring], from start: Int, indent: Int) -> [FoldedSegment] {
        var segments: [FoldedSegment] = []
        var templateLine = 1
        var nextColumn = 1
        var blanks = 0
        var index = start
        while index < lines.count {
            let line = lines[index]
            let isBlank = !line.contains(where: { $0 != " " })
            if isBlank {
                blanks += 1
                index += 1
                continue
            }
            let lineIndent = line.prefix(while: { $0 == " " }).count + 1
            if lineIndent < indent { break }
            if !segments.isEmpty {
                if blanks > 0 {
                    templateLine += blanks
                    nextColumn = 1
                } else {
                    nextColumn += 1  // the space a line break folds into
                }
            }
            let length = line.unicodeScalars.count - (indent - 1)
            segments.append(FoldedSegment(templateLine: templateLine, templateColumn: nextColumn, fileLine: index + 1,
                                          fileColumn: indent, length: length))
            nextColumn += length
            blanks = 0
            index += 1
        }
        return segments
    }

    /// Starts of the following lines of a multi-line flow scalar: each at its first non-blank character.
    private static func continuationStarts(after line: Int, count: Int, lines: [Substring]) -> [(line: Int, column: Int)] {
        guard count > 0 else { return [] }
        return (1...count).map { offset in
            let index = line - 1 + offset
            let indent = index < lines.count ? lines[index].prefix(while: { $0 == " " }).count : 0
            return (line: line + offset, column: indent + 1)
        }
    }

    /// File columns of each decoded character of a quoted scalar's first line.
    private static func quotedColumns(_ raw: [Unicode.Scalar], startColumn: Int, doubleQuoted: Bool) -> [Int] {
        var columns: [Int] = []
        var index = 0
        while index < raw.count {
            let character = raw[index]
            if doubleQuoted, character == "\"" { break }
            if !doubleQuoted, character == "'" {
                if index + 1 < raw.count, raw[index + 1] == "'" {
                    columns.append(startColumn + index)
                    index += 2
                    continue
                }
                break
            }
            columns.append(startColumn + index)
            if doubleQuoted, character == "\\", index + 1 < raw.count {
                switch raw[index + 1] {
                case "x": index += 4
                case "u": index += 6
                case "U": index += 10
                default: index += 2
                }
            } else {
                index += 1
            }
        }
        return columns
    }
}

import Documents
import Foundation
import Template
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `read` step produces, shared by the engine and `baton render` so a preview shows exactly
/// the data a run will see.
///
/// - `path:` a text or Markdown file gives its text; a CSV file a list of rows (mappings from the
///   header's names to cells; cells that look like integers or decimals become numbers, so
///   `sum(attribute='clicks')` works); a JSONL file a list of its records.
/// - `glob:` gives a list of files sorted by path, each `{path, name, stem, text}` (CSV and JSONL
///   files also carry `rows`). `stem` is the name without its last extension.
public enum StepFileReader {
    /// Reads one file in `format` (nil: by extension); a relative `path` lies in `directory`
    /// (the workflow's folder; nil: the working directory).
    public static func read(path written: String, format: ReadAction.Format?, in directory: String? = nil) throws(Diagnostic) -> Value {
        let path = Workflow.resolve(written, in: directory)
        if let document = try document(path) { return document.rows.map(Value.list) ?? .string(document.text) }
        let text = try readText(path)
        switch format ?? self.format(of: path) {
        case .text, .markdown: return .string(text)
        case .csv: return .list(try csvRows(text, file: path))
        case .jsonl: return .list(try jsonlRecords(text, file: path))
        }
    }

    /// Reads every file matching `pattern` (`*`, `?`, `[...]` within a path part; `**` for any
    /// depth; `{md,docx}` for alternatives). A relative pattern is matched in `directory` (the workflow's folder; nil: the
    /// working directory), and each file's `path` stays relative as the pattern was, so a run's
    /// outputs do not depend on the folder it was started from.
    public static func read(glob pattern: String, format: ReadAction.Format?, in directory: String? = nil) throws(Diagnostic) -> Value {
        var files: [Value] = []
        for path in Set(expandBraces(pattern).flatMap { expand(glob: $0, in: directory) }).sorted() {
            let name = (path as NSString).lastPathComponent
            let located = Workflow.resolve(path, in: directory)
            if let document = try document(located) {
                var entry: ValueDictionary = ["path": .string(path), "name": .string(name),
                                              "stem": .string((name as NSString).deletingPathExtension), "text": .string(document.text)]
                if let rows = document.rows { entry["rows"] = .list(rows) }
                files.append(.dict(entry))
                continue
            }
            let text = try readText(located)
            var entry: ValueDictionary = ["path": .string(path), "name": .string(name),
                                          "stem": .string((name as NSString).deletingPathExtension), "text": .string(text)]
            switch format ?? self.format(of: path) {
            case .csv: entry["rows"] = .list(try csvRows(text, file: located))
            case .jsonl: entry["rows"] = .list(try jsonlRecords(text, file: located))
            case .text, .markdown: break
            }
            files.append(.dict(entry))
        }
        return .list(files)
    }

    /// The format a file's extension implies.
    public static func format(of path: String) -> ReadAction.Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson": return .jsonl
        case "md", "markdown": return .markdown
        default: return .text
        }
    }

    /// The existing files matching `pattern`, sorted; a relative pattern is matched in
    /// `directory` and its matches are given relative, as the pattern is written.
    public static func expand(glob pattern: String, in directory: String?) -> [String] {
        guard let directory, !pattern.hasPrefix("/") else { return expand(glob: pattern) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return expand(glob: prefix + pattern).map { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0 }
    }

    /// The existing files matching `pattern`, sorted.
    public static func expand(glob pattern: String) -> [String] {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let firstWild = parts.firstIndex(where: { $0.contains(where: { "*?[".contains($0) }) }) else {
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        let base = parts[..<firstWild].joined(separator: "/")
        let root = base.isEmpty ? (pattern.hasPrefix("/") ? "/" : ".") : base
        let rest = parts[firstWild...].joined(separator: "/")
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var matches: [String] = []
        let recursive = rest.contains("**")
        while let relative = enumerator.nextObject() as? String {
            if !recursive, relative.split(separator: "/").count > rest.split(separator: "/").count { continue }
            var isDirectory: ObjCBool = false
            let full = base.isEmpty ? (root == "." ? relative : root + relative) : base + "/" + relative
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if matchesGlob(rest, relative) { matches.append(full) }
        }
        return matches.sorted()
    }

    /// Whether `path` matches `pattern`; `**/` matches any number of directories.
    static func matchesGlob(_ pattern: String, _ path: String) -> Bool {
        if pattern.contains("**/") {
            let withoutAny = pattern.replacingOccurrences(of: "**/", with: "")
            if fnmatch(withoutAny, path, FNM_PATHNAME) == 0 { return true }
            return fnmatch(pattern.replacingOccurrences(of: "**/", with: "*/"), path, 0) == 0
        }
        return fnmatch(pattern, path, FNM_PATHNAME) == 0
    }

    static func readText(_ path: String) throws(Diagnostic) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(location: nil, message: "cannot read '\(path)': no such file")
        }
        // UTF-8, or CP949/EUC-KR as Korean Windows and Excel save text and CSV files.
        do { return try TextDecoding.decode([UInt8](data), file: path).text } catch {
            throw Diagnostic(location: nil, message: error.description)
        }
    }

    /// RFC 4180 CSV: the first row names the columns; quoted cells may hold commas, quotes (`""`)
    /// and line breaks.
    static func csvRows(_ text: String, file: String) throws(Diagnostic) -> [Value] {
        let records = try csvRecords(text, file: file)
        guard let header = records.first else { return [] }
        return records.dropFirst().map { cells in
            var row: ValueDictionary = [:]
            for (index, name) in header.enumerated() {
                row[name] = index < cells.count ? cellValue(cells[index]) : .string("")
            }
            return .dict(row)
        }
    }

    /// The records of RFC 4180 CSV text as written (cells stay text, the header is the first
    /// record), for readers that want the cells verbatim, such as `baton train lora`'s
    /// prompt,completion files. Blank lines are skipped; an unclosed quote names its line.
    public static func csvRecords(_ text: String, file: String) throws(Diagnostic) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { cell.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"" where cell.isEmpty: quoted = true
            case ",": record.append(cell); cell = ""
            case "\n", "\r\n", "\r":
                record.append(cell); cell = ""
                if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
                record = []
                line += 1
            default: cell.append(character)
            }
        }
        if quoted { throw Diagnostic(location: SourceLocation(file: file, line: line, column: 1), message: "unclosed quote in CSV") }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        return records
    }

    /// A CSV cell: integers and decimals become numbers, everything else stays text.
    static func cellValue(_ text: String) -> Value {
        if let int = Int(text) { return .int(int) }
        if let first = text.first, first.isNumber || first == "-" || first == ".", let double = Double(text), double.isFinite {
            return .double(double)
        }
        return .string(text)
    }

    static func jsonlRecords(_ text: String, file: String) throws(Diagnostic) -> [Value] {
        var records: [Value] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty { continue }
            do {
                records.append(try Value(json: Data(trimmed.utf8)))
            } catch {
                throw Diagnostic(location: SourceLocation(file: file, line: index + 1, column: 1), message: "invalid JSON record")
            }
        }
        return records
    }

    /// A DOCX, PPTX, XLSX, PDF, HWPX or HWP file read through `Documents`: its text as Markdown, and for
    /// a workbook the first sheet's rows (the first row naming the columns, as in a CSV file).
    /// Nil for any other extension.
    static func document(_ path: String) throws(Diagnostic) -> (text: String, rows: [Value]?)? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["docx", "pptx", "xlsx", "pdf", "hwpx", "hwp"].contains(ext) else { return nil }
        do {
            let bytes = try Documents.load(path)
            let text = try Documents.read(bytes, file: path)
            guard ext == "xlsx" else { return (text.markdown, nil) }
            let sheet = try XLSXWorkbook(bytes, file: path).sheets.first
            guard let header = sheet?.rows.first else { return (text.markdown, []) }
            let rows = (sheet?.rows.dropFirst() ?? []).filter { !$0.allSatisfy(\.isEmpty) }.map { cells in
                var row: ValueDictionary = [:]
                for (index, name) in header.enumerated() where !name.isEmpty {
                    row[name] = index < cells.count ? cellValue(cells[index]) : .string("")
                }
                return Value.dict(row)
            }
            return (text.markdown, rows)
        } catch {
            throw Diagnostic(location: nil, message: error.description)
        }
    }
}

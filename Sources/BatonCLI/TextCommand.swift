import CommandKit
import Documents
import Foundation

/// `baton text`: prints what Baton reads from a document, so a user can check a file before a
/// run or an ingest.
struct TextCommand: TableCommand {
    static let abstract = "Print the text Baton reads from a document (PDF, DOCX, PPTX, XLSX, HWPX, text)."
    static let options = OptionTable("baton text", [
        .positional("FILE"),
        .option("format", value: "markdown|json", help: #"markdown (the default) or json: {"file", "format", "title", "encoding", "blocks": [{"kind", "text", "position", ...}]}."#),
    ])
    static let discussion = """
        Reads FILE as workflows and `baton ingest` do (the format from its first bytes, then its
        extension) and prints its text: headings, paragraphs, lists, tables, slide notes and
        sheets, with `<!-- page N -->` / `<!-- slide N -->` markers where a page or slide starts.
        A PDF page without text (a scanned image) is reported as such.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1 else {
            throw UsageError(message: parsed.positionals.isEmpty ? "missing FILE" : "unexpected argument '\(parsed.positionals[1])'", usage: usage)
        }
        let format = parsed.value("format") ?? "markdown"
        guard format == "markdown" || format == "json" else {
            throw UsageError(message: "unknown format '\(format)' (markdown or json)", usage: usage)
        }
        let file = parsed.positionals[0]
        let text: DocumentText
        do { text = try Documents.read(URL(fileURLWithPath: file)) } catch {
            var shown = error
            shown.file = file
            printError(shown.description)
            return 1
        }
        if format == "json" {
            printOut(json(text, file: file))
        } else {
            FileHandle.standardOutput.write(Data(text.markdown.utf8))
        }
        return 0
    }

    static func json(_ text: DocumentText, file: String) -> String {
        func string(_ value: String?) -> String { value.map(JSONText.quoted) ?? "null" }
        let blocks = text.blocks.map { block -> String in
            var fields: [String] = []
            switch block.kind {
            case .heading(let level, let body): fields = ["\"kind\": \"heading\"", "\"level\": \(level)", "\"text\": \(string(body))"]
            case .paragraph(let body): fields = ["\"kind\": \"paragraph\"", "\"text\": \(string(body))"]
            case .listItem(let level, let ordered, let body):
                fields = ["\"kind\": \"list_item\"", "\"level\": \(level)", "\"ordered\": \(ordered)", "\"text\": \(string(body))"]
            case .note(let body): fields = ["\"kind\": \"note\"", "\"text\": \(string(body))"]
            case .sheet(let name): fields = ["\"kind\": \"sheet\"", "\"text\": \(string(name))"]
            case .table(let table):
                let rows = table.rows.map { row in
                    "[" + row.map { cell in
                        "{\"text\": \(string(cell.text))" + (cell.rowSpan > 1 ? ", \"row_span\": \(cell.rowSpan)" : "")
                            + (cell.colSpan > 1 ? ", \"col_span\": \(cell.colSpan)" : "") + "}"
                    }.joined(separator: ", ") + "]"
                }
                fields = ["\"kind\": \"table\"", "\"text\": \(string(table.plainText))", "\"rows\": [" + rows.joined(separator: ", ") + "]"]
            }
            fields.append("\"position\": \(string(block.position.description))")
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return """
            {"file": \(string(file)), "format": \(string(text.format.rawValue)), "title": \(string(text.title)), \
            "encoding": \(string(text.encoding)), "blocks": [\(blocks.isEmpty ? "" : "\n  " + blocks.joined(separator: ",\n  ") + "\n")]}
            """
    }
}

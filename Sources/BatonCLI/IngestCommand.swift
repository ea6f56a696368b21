import CommandKit
import Foundation
import Retrieval

/// `baton ingest`: adds files to a knowledge database (chunked, embedded, indexed), incrementally.
struct IngestCommand: TableCommand {
    static let abstract = "Add documents to a knowledge database (incremental)."
    static let options = OptionTable("baton ingest", [
        .positional("KNOWLEDGE.db"),
        .positional("PATH", repeatable: true),
        .option("model", value: "PATH", help: "Embedding model folder (BERT or XLM-RoBERTa, e.g. multilingual-e5, bge-m3) or BERT .gguf. Default: the model the database was built with, then $BATON_EMBEDDING_MODEL, then models/all-MiniLM-L6-v2. e5 models get \"passage: \" before each chunk (see Documentation/Retrieval.md)."),
        .flag("json", help: "Print the report as JSON."),
    ])
    static let discussion = """
        Reads .txt, .md, .html (visible text), .csv, .jsonl, .docx, .pptx, .xlsx, .hwpx, .hwp and .pdf files
        (folders recursively; a chunk of a PDF, slide deck or sheet starts with its page, slide or
        cell, e.g. "page 3 > Heading"), splits
        them into chunks by headings and paragraphs, embeds the chunks and stores documents, chunks,
        vectors and a trigram full-text index in KNOWLEDGE.db (created when missing).
        Unchanged files are skipped, changed files replaced, and documents under PATH whose files
        were removed are deleted; each file is written in one transaction. A database is bound to
        the embedding model that built it.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count >= 2 else {
            throw UsageError(message: parsed.positionals.isEmpty ? "missing KNOWLEDGE.db" : "missing PATH", usage: usage)
        }
        let database = parsed.positionals[0]
        let report: IngestReport
        do {
            let (knowledge, _) = try KnowledgeBase.synchronized(path: database, sources: [], modelPath: parsed.value("model"))
            let terminal = isatty(2) != 0
            report = try knowledge.ingest(Array(parsed.positionals.dropFirst())) { done, total, path in
                guard terminal, total > 0 else { return }
                let width = 30, filled = done * width / total
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                let line = "\r[\(bar)] \(done)/\(total) \(path.suffix(40))"
                FileHandle.standardError.write(Data((line.padding(toLength: 80, withPad: " ", startingAt: 0) + (done == total ? "\n" : "")).utf8))
            }
        } catch {
            printError(error.description)
            return 1
        }
        for failure in report.failed { printError(failure) }
        if parsed.flag("json") {
            func list(_ items: [String]) -> String { "[" + items.map(JSONText.quoted).joined(separator: ", ") + "]" }
            printOut("""
                {"added": \(list(report.added)), "updated": \(list(report.updated)), "unchanged": \(list(report.unchanged)), \
                "removed": \(list(report.removed)), "failed": \(list(report.failed)), "chunks": \(report.chunks)}
                """)
        } else {
            printOut("added \(report.added.count), updated \(report.updated.count), unchanged \(report.unchanged.count), "
                     + "removed \(report.removed.count), failed \(report.failed.count); \(report.chunks) chunks written")
        }
        return report.failed.isEmpty ? 0 : 1
    }
}

import Foundation
import SQLite

/// What one `ingest` call did, file by file.
public struct IngestReport: Sendable, Equatable {
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []
    public var removed: [String] = []
    /// Files refused, with the full error line (`path: error: ...`); nothing of them was written.
    public var failed: [String] = []
    /// Chunks written by this call.
    public var chunks = 0

    public init() {}
}

extension KnowledgeBase {
    /// What a workflow's `knowledge: name: { path: DB, source: FOLDER }` needs before a `rag_query`:
    /// opens the database (creating it and its folder when missing) with the model it was built
    /// with (else `modelPath`, `$BATON_EMBEDDING_MODEL`, `models/all-MiniLM-L6-v2`), then brings it
    /// up to date with `sources` incrementally (unchanged files cost one SHA-256 each).
    public static func synchronized(path: String, sources: [String], modelPath: String? = nil) throws(RetrievalError)
        -> (knowledge: KnowledgeBase, report: IngestReport) {
        let knowledge: KnowledgeBase
        if FileManager.default.fileExists(atPath: path) {
            knowledge = try open(path: path, modelPath: modelPath)
        } else {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let model = try EmbeddingModelLocator.resolve(modelPath)
            knowledge = try KnowledgeBase(path: path, embedder: SentenceEmbedder(path: model), create: true)
        }
        let report = sources.isEmpty ? IngestReport() : try knowledge.ingest(sources)
        return (knowledge, report)
    }

    /// Files larger than this are refused: a knowledge document is prose, not a data dump.
    public static let maximumFileBytes = 20 << 20

    /// Ingests files and folders (recursively, supported extensions only): new files are added,
    /// changed ones replaced, unchanged ones skipped, and documents under the given paths whose
    /// files are gone are deleted. Each file is written in its own transaction, after its text was
    /// read, chunked and embedded, so a failure leaves nothing of that file behind.
    /// `progress(done, total, path)` is called before each file.
    public func ingest(_ paths: [String], chunker: Chunker? = nil,
                       progress: (Int, Int, String) -> Void = { _, _, _ in }) throws(RetrievalError) -> IngestReport {
        lock.lock()
        defer { lock.unlock() }
        try checkModel()
        var report = IngestReport()
        var files: [String] = []
        for path in paths {
            let (found, errors) = Self.expand(path)
            files += found
            report.failed += errors
        }
        let chunker = chunker ?? Chunker(targetTokens: min(200, embedder.maxTokens - 8), overlapTokens: 32,
                                          countTokens: { [embedder] in embedder.tokenCount($0) })
        for (number, file) in files.enumerated() {
            progress(number, files.count, file)
            do {
                switch try ingestFile(file, chunker: chunker) {
                case .added(let count): report.added.append(file); report.chunks += count
                case .updated(let count): report.updated.append(file); report.chunks += count
                case .unchanged: report.unchanged.append(file)
                }
            } catch {
                report.failed.append(error.description)
            }
        }
        progress(files.count, files.count, "")
        report.removed = try removeMissing(under: paths, keeping: Set(files))
        if !report.added.isEmpty || !report.updated.isEmpty || !report.removed.isEmpty { index = nil }
        return report
    }

    enum FileOutcome { case added(Int), updated(Int), unchanged }

    private func ingestFile(_ path: String, chunker: Chunker) throws(RetrievalError) -> FileOutcome {
        let content = try DocumentReader.read(path)
        let existing = try sql { () throws(SQLiteError) in
            try connection.queryOne("SELECT id, sha256 FROM documents WHERE path = ?", [.text(path)])
        }
        if existing?.string("sha256") == content.sha256 { return .unchanged }
        let document: ParsedDocument
        if let read = content.document { document = DocumentParser.parse(read, path: path) } else { document = try DocumentParser.parse(content.text, path: path) }
        let chunks = chunker.chunks(document)
        guard !chunks.isEmpty else { throw RetrievalError("\(path): error: no text found") }
        let embeddings = try embedder.embed(chunks.map(\.text), as: .passage)
        guard FileManager.default.fileExists(atPath: path) else {
            throw RetrievalError("\(path): error: file disappeared during ingest; nothing stored")
        }
        do {
            try connection.transaction {
                try recordModel()
                try connection.execute("DELETE FROM documents WHERE path = ?", [.text(path)])
                try connection.execute("""
                    INSERT INTO documents (path, sha256, title, modified, size, ingested) VALUES (?, ?, ?, ?, ?, ?)
                    """, [.text(path), .text(content.sha256), .text(document.title), .real(content.modified),
                          .integer(Int64(content.size)), .real(Date().timeIntervalSince1970)])
                let documentID = connection.lastInsertRowID
                for (chunk, embedding) in zip(chunks, embeddings) {
                    try connection.execute("INSERT INTO chunks (document_id, position, text, token_count) VALUES (?, ?, ?, ?)",
                                           [.integer(documentID), .integer(Int64(chunk.position)), .text(chunk.text), .integer(Int64(chunk.tokenCount))])
                    let chunkID = connection.lastInsertRowID
                    try connection.execute("INSERT INTO chunks_grams (rowid, terms) VALUES (?, ?)",
                                           [.integer(chunkID), .text(NGramText.indexText(chunk.text))])
                    try connection.execute("INSERT INTO vectors (chunk_id, dimension, vector) VALUES (?, ?, ?)",
                                           [.integer(chunkID), .integer(Int64(embedding.vector.count)), .blob(Self.bytes(embedding.vector))])
                }
            }
        } catch let error as SQLiteError {
            throw RetrievalError("\(path): error: cannot store: \(error.message)")
        } catch {
            throw RetrievalError("\(path): error: cannot store: \(error)")
        }
        return existing == nil ? .added(chunks.count) : .updated(chunks.count)
    }

    /// Deletes documents under `roots` that were not found this time and no longer exist on disk.
    private func removeMissing(under roots: [String], keeping seen: Set<String>) throws(RetrievalError) -> [String] {
        let stored = try sql { () throws(SQLiteError) in try connection.query("SELECT path FROM documents ORDER BY path") }
            .compactMap { $0.string("path") }
        let normalizedRoots = roots.map(Self.normalize)
        var removed: [String] = []
        for path in stored where !seen.contains(path) && !FileManager.default.fileExists(atPath: path) {
            guard normalizedRoots.contains(where: { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else { continue }
            do {
                try connection.transaction { try connection.execute("DELETE FROM documents WHERE path = ?", [.text(path)]) }
            } catch {
                throw RetrievalError("\(self.path): error: cannot delete '\(path)': \(error)")
            }
            removed.append(path)
        }
        return removed
    }

    /// The supported files under `path` (itself when it is a file), sorted, and errors for the rest.
    static func expand(_ path: String) -> (files: [String], errors: [String]) {
        let path = normalize(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return ([], ["\(path): error: no such file or directory"])
        }
        if !isDirectory.boolValue {
            let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
            guard DocumentParser.supportedExtensions.contains(ext) else {
                return ([], ["\(path): error: unsupported file type '.\(ext)' (supported: \(DocumentParser.supportedExtensions.sorted().map { "." + $0 }.joined(separator: ", ")))"])
            }
            return ([path], [])
        }
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            let ext = URL(fileURLWithPath: relative).pathExtension.lowercased()
            guard DocumentParser.supportedExtensions.contains(ext) else { continue }
            let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
            var childIsDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue {
                files.append(full)
            }
        }
        return (files.sorted(), [])
    }

    /// `./a//b/` → `a/b`: one spelling per file, so re-ingest finds the same rows.
    static func normalize(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        if parts.isEmpty { return path.hasPrefix("/") ? "/" : "." }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    static func bytes(_ vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }
}

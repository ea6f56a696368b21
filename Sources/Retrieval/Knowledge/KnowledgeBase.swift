import Foundation
import SQLite

/// A knowledge database: documents, their chunks, chunk vectors and a trigram full-text index in
/// one SQLite file, bound to the embedding model that built it. Ingest, search, and what the
/// engine's `rag_query` step calls.
///
/// `@unchecked Sendable`: the connection and the cached vector index are only touched while `lock`
/// is held, so one instance can serve concurrent steps.
public final class KnowledgeBase: @unchecked Sendable {
    public let path: String
    public let embedder: SentenceEmbedder
    let connection: Connection
    let lock = NSLock()
    /// Every vector, loaded on the first vector search and dropped when an ingest changes them.
    var index: VectorIndex?

    /// Opens (`create`: or creates) the database at `path` for `embedder`, refusing a database
    /// built with another model.
    public init(path: String, embedder: SentenceEmbedder, create: Bool = false) throws(RetrievalError) {
        self.path = path
        self.embedder = embedder
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw RetrievalError("\(path): error: no such knowledge database (create it with 'baton ingest \(path) PATH...')")
        }
        do {
            connection = try Connection(path: path, mode: create ? .readWriteCreate : .readWrite)
            try Self.claim(connection, path: path)
            try connection.migrate(KnowledgeSchema.migrations)
        } catch let error as RetrievalError {
            throw error
        } catch let error as SQLiteError {
            throw RetrievalError("\(path): error: \(error.message)")
        } catch {
            throw RetrievalError("\(path): error: \(error)")
        }
        try checkModel()
    }

    /// `PRAGMA application_id` of knowledge databases ("KNOW").
    static let applicationID: Int64 = 0x4B4E_4F57

    /// Marks a new, empty file as a knowledge database, and refuses any other SQLite file (an audit
    /// store, someone's app data) rather than adding tables to it.
    static func claim(_ connection: Connection, path: String) throws {
        let id = try connection.scalar("PRAGMA application_id").int64 ?? 0
        if id == applicationID { return }
        let tables = try connection.scalar("SELECT count(*) FROM sqlite_master").int ?? 0
        guard id == 0 && tables == 0 else {
            throw RetrievalError("\(path): error: not a knowledge database (another program's SQLite file); choose a new file name")
        }
        try connection.execute("PRAGMA application_id = \(applicationID)")
    }

    /// Opens an existing database with the model it was built with (or `modelPath` when given).
    public static func open(path: String, modelPath: String? = nil) throws(RetrievalError) -> KnowledgeBase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RetrievalError("\(path): error: no such knowledge database (create it with 'baton ingest \(path) PATH...')")
        }
        var stored: String?
        if modelPath == nil, let connection = try? Connection(path: path, mode: .readOnly) {
            stored = (try? connection.scalar("SELECT value FROM settings WHERE key = 'embedding_model_path'"))?.string
        }
        let model = try EmbeddingModelLocator.resolve(modelPath ?? stored)
        return try KnowledgeBase(path: path, embedder: SentenceEmbedder(path: model))
    }

    /// The model identity and dimension recorded in the database, if any vectors were stored.
    public func storedModel() throws(RetrievalError) -> (identity: String, dimension: Int)? {
        let rows = try sql { () throws(SQLiteError) in
            try connection.query("SELECT key, value FROM settings WHERE key IN ('embedding_model', 'embedding_dimension')")
        }
        var values: [String: String] = [:]
        for row in rows { if let key = row.string("key"), let value = row.string("value") { values[key] = value } }
        guard let identity = values["embedding_model"], let dimension = values["embedding_dimension"].flatMap(Int.init) else { return nil }
        return (identity, dimension)
    }

    /// Throws when the database was built with another embedding model, naming both.
    func checkModel() throws(RetrievalError) {
        guard let stored = try storedModel() else { return }
        if stored.identity != embedder.identity || stored.dimension != embedder.dimension {
            throw RetrievalError("""
                \(path): error: built with embedding model '\(stored.identity)' (\(stored.dimension) dimensions), \
                but this run uses '\(embedder.identity)' (\(embedder.dimension) dimensions); \
                use that model (--model) or ingest into a new database
                """)
        }
    }

    /// Records the model on first use (inside the caller's transaction).
    func recordModel() throws(SQLiteError) {
        for (key, value) in [("embedding_model", embedder.identity), ("embedding_dimension", "\(embedder.dimension)"),
                             ("embedding_model_path", embedder.sourcePath)] {
            try connection.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   [.text(key), .text(value)])
        }
    }

    /// The texts of a document's chunks in order (empty when the path is not stored).
    public func chunkTexts(path documentPath: String) throws(RetrievalError) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return try sql { () throws(SQLiteError) in
            try connection.query("""
                SELECT c.text FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ? ORDER BY c.position
                """, [.text(documentPath)])
        }.compactMap { $0.string("text") }
    }

    /// Documents and chunks stored.
    public func counts() throws(RetrievalError) -> (documents: Int, chunks: Int) {
        try sql { () throws(SQLiteError) in
            (try connection.scalar("SELECT count(*) FROM documents").int ?? 0, try connection.scalar("SELECT count(*) FROM chunks").int ?? 0)
        }
    }

    /// Runs SQLite work, turning its errors into `RetrievalError`s that name the database.
    func sql<T>(_ body: () throws(SQLiteError) -> T) throws(RetrievalError) -> T {
        do { return try body() } catch { throw RetrievalError("\(path): error: \(error.message)") }
    }
}

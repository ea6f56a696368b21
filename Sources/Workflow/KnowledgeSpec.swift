/// A knowledge base that `rag_query` steps search (`knowledge:` in the YAML).
///
/// ```yaml
/// knowledge:
///   brand: { path: .baton/knowledge/brand.db, source: Examples/knowledge }
/// ```
/// `path` is the index built by `baton ingest`; `source` is the folder it is built from, so a
/// run can (re)build a missing index.
public struct KnowledgeSpec: Sendable, Equatable {
    public var name: String
    /// The SQLite index file.
    public var path: String
    /// The folder of documents the index is built from, when declared.
    public var source: String?
    /// The embedding model (a name from `models:` or a path); `nil` uses Baton's default.
    public var embedding: String?
    public var location: SourceLocation

    public init(name: String, path: String, source: String? = nil, embedding: String? = nil, location: SourceLocation) {
        self.name = name
        self.path = path
        self.source = source
        self.embedding = embedding
        self.location = location
    }
}

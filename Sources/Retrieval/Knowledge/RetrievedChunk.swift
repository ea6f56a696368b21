/// How `KnowledgeBase.search` ranks chunks.
public enum SearchMode: String, Sendable, CaseIterable {
    /// Cosine similarity of embeddings (exact, over every chunk).
    case vector
    /// FTS5 trigram and Hangul-bigram indexes ranked by BM25 (so Korean particles do not hide words).
    case lexical
    /// Reciprocal-rank fusion of the two.
    case hybrid
}

/// One search result: what a `rag_query` step exposes as `steps.X.documents[i]`.
public struct RetrievedChunk: Sendable, Equatable {
    /// The chunk's row id in the knowledge database (recorded in the audit trail).
    public var chunkID: Int64
    public var text: String
    /// The document's path as ingested.
    public var source: String
    /// The document's title.
    public var title: String
    /// Higher is better: cosine for vector, reciprocal-rank fusion otherwise (negated BM25 when
    /// only one lexical index matched).
    public var score: Double
    /// The chunk's 0-based position within its document.
    public var position: Int
}

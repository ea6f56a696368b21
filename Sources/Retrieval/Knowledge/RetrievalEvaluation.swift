import Foundation

/// A retrieval evaluation set (`Examples/knowledge-eval.json`): queries with their relevant chunks
/// marked by document path and a phrase the chunk contains, and the paths to ingest first.
public struct RetrievalEvaluation: Sendable, Decodable {
    public struct Relevant: Sendable, Decodable, Equatable {
        public var path: String
        public var contains: String
    }
    public struct Query: Sendable, Decodable {
        public var query: String
        public var relevant: [Relevant]
    }
    /// Recall@k and mean reciprocal rank of one search mode.
    public struct Score: Sendable, Equatable {
        public var mode: SearchMode
        /// Fraction of queries with a relevant chunk among the first k.
        public var recall: Double
        /// Mean of 1/rank of the first relevant chunk (0 when none in the first `depth`).
        public var meanReciprocalRank: Double
        /// Queries with no relevant chunk among the first k.
        public var misses: [String]
    }

    public var ingest: [String]
    public var queries: [Query]

    public static func load(_ path: String) throws(RetrievalError) -> RetrievalEvaluation {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RetrievalError("\(path): error: cannot read the evaluation set")
        }
        do { return try JSONDecoder().decode(RetrievalEvaluation.self, from: data) } catch {
            throw RetrievalError("\(path): error: not a retrieval evaluation set: \(error)")
        }
    }

    /// Relevance marks that no stored chunk satisfies (a document edited or missing), as
    /// `path: "phrase"` lines: such a query can never be a hit, so the set needs fixing.
    public func unmatchedMarks(_ knowledge: KnowledgeBase) throws(RetrievalError) -> [String] {
        var unmatched: [String] = []
        for query in queries {
            for mark in query.relevant where !(try knowledge.chunkTexts(path: mark.path)).contains(where: { $0.contains(mark.contains) }) {
                unmatched.append("\(mark.path): \"\(mark.contains)\"")
            }
        }
        return unmatched
    }

    /// Scores `mode` on `knowledge`: recall@`k`, and MRR over the first `depth` results.
    public func score(_ knowledge: KnowledgeBase, mode: SearchMode, k: Int = 5, depth: Int = 10) throws(RetrievalError) -> Score {
        var hits = 0
        var reciprocal = 0.0
        var misses: [String] = []
        for query in queries {
            let results = try knowledge.search(query: query.query, topK: depth, mode: mode)
            let rank = results.firstIndex { chunk in
                query.relevant.contains { $0.path == chunk.source && chunk.text.contains($0.contains) }
            }
            if let rank {
                reciprocal += 1 / Double(rank + 1)
                if rank < k { hits += 1 } else { misses.append(query.query) }
            } else {
                misses.append(query.query)
            }
        }
        let count = Double(max(1, queries.count))
        return Score(mode: mode, recall: Double(hits) / count, meanReciprocalRank: reciprocal / count, misses: misses)
    }
}

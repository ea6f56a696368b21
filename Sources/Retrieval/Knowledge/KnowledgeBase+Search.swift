import Foundation
import SQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension KnowledgeBase {
    /// Reciprocal-rank fusion constant (Cormack et al.'s 60).
    static let fusionK = 60.0

    /// The `topK` chunks for `query`, best first; `pathGlob` (fnmatch, e.g. `Examples/*.md`) keeps
    /// only chunks of matching documents.
    public func search(query: String, topK: Int = 5, mode: SearchMode = .hybrid, pathGlob: String? = nil) throws(RetrievalError) -> [RetrievedChunk] {
        lock.lock()
        defer { lock.unlock() }
        guard topK > 0, !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        let allowed = try pathGlob.map { glob throws(RetrievalError) in try documents(matching: glob) }
        let ranked: [(id: Int64, score: Double)]
        switch mode {
        case .vector: ranked = try vectorSearch(query, k: topK, allowed: allowed)
        case .lexical: ranked = try lexicalSearch(query, k: topK, allowed: allowed)
        case .hybrid:
            let depth = max(topK * 5, 50)
            let fused = Self.fuse([try vectorSearch(query, k: depth, allowed: allowed), try lexicalSearch(query, k: depth, allowed: allowed)],
                                  weights: [vectorWeight(query), 1])
            ranked = Array(fused.prefix(topK))
        }
        return try chunks(ranked)
    }

    /// Reciprocal-rank fusion: Σ weight / (60 + rank) over the lists, ties by first appearance.
    static func fuse(_ lists: [[(id: Int64, score: Double)]], weights: [Double]? = nil) -> [(id: Int64, score: Double)] {
        var scores: [Int64: Double] = [:]
        var order: [Int64] = []
        for (index, list) in lists.enumerated() {
            let weight = weights?[index] ?? 1
            for (rank, item) in list.enumerated() {
                if scores[item.id] == nil { order.append(item.id) }
                scores[item.id, default: 0] += weight / (fusionK + Double(rank + 1))
            }
        }
        return order.enumerated().sorted { a, b in
            let (sa, sb) = (scores[a.element] ?? 0, scores[b.element] ?? 0)
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map { ($0.element, scores[$0.element] ?? 0) }
    }

    /// How much hybrid search trusts the vector ranking for `query`. A model whose vocabulary has
    /// no Korean (all-MiniLM-L6-v2 reads Hangul as decomposed jamo pieces; see
    /// `SentenceEmbedder.readsHangul`) ranks Korean queries little better than chance, so their
    /// weight falls with the query's share of CJK characters, to 0 for an all-Korean query.
    func vectorWeight(_ query: String) -> Double {
        guard !embedder.readsHangul else { return 1 }
        let scalars = query.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard !scalars.isEmpty else { return 1 }
        let cjk = scalars.filter { NGramText.isCJK($0.value) }.count
        return 1 - Double(cjk) / Double(scalars.count)
    }

    /// Exact cosine over every stored vector (the matrix is loaded once and cached).
    func vectorSearch(_ query: String, k: Int, allowed: Set<Int64>?) throws(RetrievalError) -> [(id: Int64, score: Double)] {
        let index = try loadIndex()
        guard index.count > 0, let vector = try embedder.embed([query], as: .query).first?.vector else { return [] }
        return index.search(vector, k: k, allowed: allowed).map { ($0.id, Double($0.score)) }
    }

    /// The vector matrix, read in one pass over the `vectors` table.
    func loadIndex() throws(RetrievalError) -> VectorIndex {
        if let index { return index }
        var loaded = VectorIndex(dimension: embedder.dimension, threads: embedder.threads)
        do {
            let count = try connection.scalar("SELECT count(*) FROM vectors").int ?? 0
            loaded.reserve(count)
            try connection.forEach("SELECT v.chunk_id, c.document_id, v.vector FROM vectors v JOIN chunks c ON c.id = v.chunk_id ORDER BY v.chunk_id") { row in
                let id = row[0].int64 ?? 0, document = row[1].int64 ?? 0
                row.withBlob(at: 2) { loaded.append(id: id, document: document, bytes: $0) }
            }
        } catch {
            throw RetrievalError("\(path): error: cannot load vectors: \(error)")
        }
        index = loaded
        return loaded
    }

    /// Full-text search over both indexes, each ranked by BM25 and fused by reciprocal rank:
    /// the FTS5 trigram index (each query word of 3+ characters contributes its trigrams, OR-ed:
    /// substrings of long words, `가이드의` finds `가이드는`) and the `NGramText` index (Hangul bigrams,
    /// stemmed English words: `말투가` finds `말투는`; a one-syllable query like `톤` is a prefix
    /// match). When neither yields a term, every query word is matched with LIKE.
    func lexicalSearch(_ query: String, k: Int, allowed: Set<Int64>?) throws(RetrievalError) -> [(id: Int64, score: Double)] {
        let words = query.lowercased().split(whereSeparator: { $0.isWhitespace || ($0.isPunctuation && $0 != "-") }).map(String.init)
        var trigrams: [String] = []
        for word in words {
            let characters = Array(word)
            guard characters.count >= 3 else { continue }
            for start in 0...(characters.count - 3) {
                let trigram = String(characters[start..<(start + 3)])
                if !trigrams.contains(trigram) { trigrams.append(trigram) }
            }
        }
        var grams: [String] = []
        for term in NGramText.terms(query) where !grams.contains(term) { grams.append(term) }
        let filter = allowed.map { " AND c.document_id IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        func quoted(_ term: String) -> String { "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        do {
            var lists: [[(id: Int64, score: Double)]] = []
            if !trigrams.isEmpty {
                let rows = try connection.query("""
                    SELECT c.id, bm25(chunks_fts) AS rank FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
                    WHERE chunks_fts MATCH ?\(filter) ORDER BY rank, c.id LIMIT ?
                    """, [.text(trigrams.prefix(128).map(quoted).joined(separator: " OR ")), .integer(Int64(k))])
                lists.append(rows.map { ($0.int64("id") ?? 0, -($0.double("rank") ?? 0)) })
            }
            if !grams.isEmpty {
                let match = grams.prefix(128).map { term in
                    term.unicodeScalars.count == 1 && term.unicodeScalars.allSatisfy({ NGramText.isCJK($0.value) }) ? quoted(term) + "*" : quoted(term)
                }.joined(separator: " OR ")
                let rows = try connection.query("""
                    SELECT c.id, bm25(chunks_grams) AS rank FROM chunks_grams JOIN chunks c ON c.id = chunks_grams.rowid
                    WHERE chunks_grams MATCH ?\(filter) ORDER BY rank, c.id LIMIT ?
                    """, [.text(match), .integer(Int64(k))])
                lists.append(rows.map { ($0.int64("id") ?? 0, -($0.double("rank") ?? 0)) })
            }
            if lists.contains(where: { !$0.isEmpty }) {
                return Array((lists.count == 1 ? lists[0] : Self.fuse(lists)).prefix(k))
            }
            let short = words.filter { !$0.isEmpty }
            guard !short.isEmpty else { return [] }
            let conditions = short.map { _ in "(c.text LIKE ? ESCAPE '\\')" }
            let score = conditions.joined(separator: " + ")
            let arguments = short.map { DatabaseValue.text("%" + Self.escapeLike($0) + "%") }
            let rows = try connection.query("""
                SELECT c.id, (\(score)) AS hits FROM chunks c WHERE (\(conditions.joined(separator: " OR ")))\(filter)
                ORDER BY hits DESC, c.id LIMIT ?
                """, arguments + arguments + [.integer(Int64(k))])
            return rows.map { ($0.int64("id") ?? 0, $0.double("hits") ?? 0) }
        } catch {
            throw RetrievalError("\(path): error: lexical search failed: \(error)")
        }
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// Ids of documents whose path matches the fnmatch pattern.
    func documents(matching glob: String) throws(RetrievalError) -> Set<Int64> {
        let rows = try sql { () throws(SQLiteError) in try connection.query("SELECT id, path FROM documents") }
        return Set(rows.compactMap { row in
            guard let id = row.int64("id"), let path = row.string("path"), fnmatch(glob, path, 0) == 0 else { return nil }
            return id
        })
    }

    /// Full rows for ranked chunk ids, in rank order.
    func chunks(_ ranked: [(id: Int64, score: Double)]) throws(RetrievalError) -> [RetrievedChunk] {
        guard !ranked.isEmpty else { return [] }
        let rows = try sql { () throws(SQLiteError) in
            try connection.query("""
                SELECT c.id, c.text, c.position, d.path, d.title FROM chunks c JOIN documents d ON d.id = c.document_id
                WHERE c.id IN (\(ranked.map { String($0.id) }.joined(separator: ",")))
                """)
        }
        var byID: [Int64: Row] = [:]
        for row in rows { if let id = row.int64("id") { byID[id] = row } }
        return ranked.compactMap { item in
            guard let row = byID[item.id] else { return nil }
            return RetrievedChunk(chunkID: item.id, text: row.string("text") ?? "", source: row.string("path") ?? "",
                                  title: row.string("title") ?? "", score: item.score, position: row.int("position") ?? 0)
        }
    }
}

import Foundation
import Testing
import TestSupport
@testable import Retrieval

/// The evaluation set in the repository stays consistent with Examples/ and hybrid search keeps its quality.
@Suite struct RetrievalEvaluationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.requiresMiniLM) func evaluationSetMatchesTheExamplesAndHybridRecallHolds() throws {
        let embedder = try #require(SentenceEmbedderTests.embedder)
        var evaluation = try RetrievalEvaluation.load(Self.root.appendingPathComponent("Examples/knowledge-eval.json").path)
        #expect(evaluation.queries.count >= 40)
        // Absolute paths: tests run in parallel, so the working directory is not ours to change.
        let prefix = Self.root.path + "/"
        evaluation.ingest = evaluation.ingest.map { prefix + $0 }
        for index in evaluation.queries.indices {
            for mark in evaluation.queries[index].relevant.indices { evaluation.queries[index].relevant[mark].path = prefix + evaluation.queries[index].relevant[mark].path }
        }
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("baton-eval-\(UUID().uuidString).db").path
        let knowledge = try KnowledgeBase(path: database, embedder: embedder, create: true)
        let report = try knowledge.ingest(evaluation.ingest)
        #expect(report.failed == [])
        #expect(try evaluation.unmatchedMarks(knowledge) == [])
        let hybrid = try evaluation.score(knowledge, mode: .hybrid)
        #expect(hybrid.recall >= 0.85, "missed: \(hybrid.misses)")
    }
}

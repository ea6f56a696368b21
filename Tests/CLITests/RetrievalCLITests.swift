import Foundation
import Testing
import TestSupport

@Suite struct RetrievalCLITests {
    @Test(.requiresMiniLM) func embedPrintsUnitVectorsAsJSON() throws {
        let model = try #require(ReferenceModels.miniLM)
        let result = try BatonProcess.run(["embed", "--model", model, "--json", "보도자료", "press release"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["text"] as? String } == ["보도자료", "press release"])
        #expect(items.map { $0["tokens"] as? Int } == [10, 4])
        for item in items {
            let vector = try #require(item["vector"] as? [Double])
            #expect(vector.count == 384)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
    }

    @Test func embedWithoutTextIsAUsageError() throws {
        let result = try BatonProcess.run(["embed", "--model", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: missing TEXT\nUSAGE: baton embed [--model PATH] [--as query|passage] [--json] TEXT...\n")
    }

    /// The random-weight XLM-RoBERTa fixture (an e5-shaped folder: Unigram tokenizer, mean pooling).
    static let e5Tiny = "Tests/RetrievalTests/Fixtures/xlmr/e5-tiny"

    @Test func embedWithAnXLMRobertaFolderPutsTheRolePrefixFirst() throws {
        let asQuery = try BatonProcess.run(["embed", "--model", Self.e5Tiny, "--as", "query", "--json", "한빛 브랜드 톤"], directory: BatonProcess.repository)
        let prefixed = try BatonProcess.run(["embed", "--model", Self.e5Tiny, "--json", "query: 한빛 브랜드 톤"], directory: BatonProcess.repository)
        let plain = try BatonProcess.run(["embed", "--model", Self.e5Tiny, "한빛 브랜드 톤"], directory: BatonProcess.repository)
        #expect(asQuery.status == 0 && asQuery.stderr == "")
        let vector = { (stdout: String) throws -> [Double] in
            let items = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
            return try #require(items.first?["vector"] as? [Double])
        }
        #expect(try vector(asQuery.stdout) == vector(prefixed.stdout))
        #expect(try vector(asQuery.stdout).count == 64)
        #expect(plain.stdout.split(separator: " ").count == 64)
        let plainVector = plain.stdout.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan }
        #expect(try plainVector != vector(asQuery.stdout))
        let bad = try BatonProcess.run(["embed", "--model", Self.e5Tiny, "--as", "document", "text"], directory: BatonProcess.repository)
        #expect(bad.status == 64)
        #expect(bad.stderr.hasPrefix("error: --as must be query or passage, not 'document'\n"))
    }

    @Test func ingestAndSearchWithAnXLMRobertaFolder() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-xlmr-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: database) }
        let files = ["brand-guide-solbit.md", "press-release-aurora-scooter.md"].map { "Examples/knowledge/" + $0 }
        var result = try BatonProcess.run(["ingest", database] + files + ["--model", Self.e5Tiny], directory: BatonProcess.repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("added 2, updated 0, unchanged 0, removed 0, failed 0; "))
        result = try BatonProcess.run(["search", database, "텀블러 할인", "--mode", "vector", "--top-k", "1", "--json"], directory: BatonProcess.repository)
        #expect(result.status == 0, "\(result.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 1)
    }

    @Test func embedWithAMissingModelFails() throws {
        let result = try BatonProcess.run(["embed", "--model", "/nonexistent/model", "text"])
        #expect(result.status == 1)
        #expect(result.stderr == "/nonexistent/model: error: no such embedding model (a model folder with model.safetensors, or a .gguf file)\n")
    }

    @Test(.requiresMiniLM) func ingestThenSearchTheExampleKnowledge() throws {
        let model = try #require(ReferenceModels.miniLM)
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-kb-\(UUID().uuidString).db").path
        let files = ["brand-guide-solbit.md", "press-release-aurora-scooter.md", "client-brief-greenleaf.html"].map { "Examples/knowledge/" + $0 }
        var result = try BatonProcess.run(["ingest", database] + files + ["--model", model], directory: BatonProcess.repository)
        #expect(result.status == 0)
        #expect(result.stdout == "added 3, updated 0, unchanged 0, removed 0, failed 0; 18 chunks written\n")
        result = try BatonProcess.run(["ingest", database] + files, directory: BatonProcess.repository)
        #expect(result.stdout == "added 0, updated 0, unchanged 3, removed 0, failed 0; 0 chunks written\n")

        result = try BatonProcess.run(["search", database, "텀블러를 가져오면 할인해 주나요?", "--top-k", "2", "--json"], directory: BatonProcess.repository)
        #expect(result.status == 0)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items.map { $0["path"] as? String } == ["Examples/knowledge/brand-guide-solbit.md", "Examples/knowledge/brand-guide-solbit.md"])
        #expect(items.contains { ($0["text"] as? String)?.contains("400원") == true })
        #expect(items.first.map { Set($0.keys) } == ["path", "chunk", "position", "score", "text"])

        result = try BatonProcess.run(["search", database, "battery range", "--mode", "vector", "--top-k", "1", "--path", "*.md"], directory: BatonProcess.repository)
        #expect(result.stdout.hasPrefix("1. Examples/knowledge/press-release-aurora-scooter.md #1 (score "))
    }

    @Test func searchErrors() throws {
        var result = try BatonProcess.run(["search", "/nonexistent/kb.db", "query", "--mode", "fuzzy"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: unknown mode 'fuzzy' (vector, lexical or hybrid)\nUSAGE: baton search KNOWLEDGE.db QUERY"))
        result = try BatonProcess.run(["search", "/nonexistent/kb.db", "query"])
        #expect(result.status == 1)
        #expect(result.stderr == "/nonexistent/kb.db: error: no such knowledge database (create it with 'baton ingest /nonexistent/kb.db PATH...')\n")
        result = try BatonProcess.run(["ingest", "/tmp/kb.db"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: missing PATH\nUSAGE: baton ingest KNOWLEDGE.db PATH... [--model PATH] [--json]\n")
    }
}

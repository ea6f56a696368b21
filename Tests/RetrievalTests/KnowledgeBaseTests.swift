import Foundation
import SQLite
import Testing
import TestSupport
@testable import Retrieval

/// Ingest and search on real SQLite files with the real model (skipped when it is not installed).
@Suite struct KnowledgeBaseTests {
    let directory: URL

    init() throws {
        directory = try TemporaryFolder.make("kb")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("docs"), withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent("docs/" + name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func knowledge() throws -> KnowledgeBase {
        let embedder = try #require(SentenceEmbedderTests.embedder)
        return try KnowledgeBase(path: directory.appendingPathComponent("kb.db").path, embedder: embedder, create: true)
    }

    @Test(.requiresMiniLM) func ingestIsIncrementalAndSearchFindsKoreanAndEnglish() throws {
        let knowledge = try knowledge()
        let guide = try write("guide.md", "# 브랜드 가이드\n\n## 톤\n\n솔빛의 말투는 따뜻하고 담백합니다. 고객에게는 존댓말을 씁니다.\n\n## 색상\n\n대표 색상은 솔빛 골드입니다.\n")
        let release = try write("release.txt", "Aurora E2 scooter\n\nThe battery gives a range of 60 km on a single charge.\n")
        let docs = directory.appendingPathComponent("docs").path
        var report = try knowledge.ingest([docs])
        #expect(report.added == [guide, release])
        #expect(report.failed == [])
        #expect(try knowledge.counts() == (documents: 2, chunks: 3))

        let korean = try knowledge.search(query: "말투가", topK: 1, mode: .lexical)
        #expect(korean.map(\.text) == ["브랜드 가이드 > 톤\n솔빛의 말투는 따뜻하고 담백합니다. 고객에게는 존댓말을 씁니다."])
        #expect(korean.first?.source == guide)
        #expect(korean.first?.title == "브랜드 가이드")
        #expect(try knowledge.search(query: "톤", topK: 1, mode: .lexical).map(\.position) == [0])
        #expect(try knowledge.search(query: "how far does the scooter go on one charge", topK: 1, mode: .vector).map(\.source) == [release])
        #expect(try knowledge.search(query: "scooter battery", topK: 3, mode: .hybrid).first?.source == release)
        #expect(try knowledge.search(query: "battery", topK: 3, mode: .hybrid, pathGlob: "*.md").allSatisfy { $0.source == guide })

        report = try knowledge.ingest([docs])
        #expect(report.unchanged == [guide, release])
        _ = try write("release.txt", "Aurora E2 scooter\n\nThe price is 890,000 won.\n")
        try FileManager.default.removeItem(atPath: guide)
        report = try knowledge.ingest([docs])
        #expect(report.updated == [release])
        #expect(report.removed == [guide])
        #expect(try knowledge.counts() == (documents: 1, chunks: 1))
        #expect(try knowledge.search(query: "말투", topK: 5, mode: .lexical) == [])
        #expect(try knowledge.search(query: "price won", topK: 1, mode: .vector).first?.text == "Aurora E2 scooter\n\nThe price is 890,000 won.")
    }

    @Test(.requiresMiniLM) func badFilesAreRefusedAndNothingIsHalfWritten() throws {
        let knowledge = try knowledge()
        let good = try write("good.md", "# Good\n\nA fine paragraph.\n")
        let empty = try write("empty.txt", "  \n\n")
        let binary = directory.appendingPathComponent("docs/binary.txt").path
        try Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01]).write(to: URL(fileURLWithPath: binary))
        let latin1 = directory.appendingPathComponent("docs/latin1.txt").path
        try Data([0x63, 0x61, 0x66, 0xE9, 0x20, 0x6F, 0x6B]).write(to: URL(fileURLWithPath: latin1))
        let huge = directory.appendingPathComponent("docs/huge.txt").path
        _ = FileManager.default.createFile(atPath: huge, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 100 << 20)   // sparse 100 MB
        try handle.close()
        let vanishing = try write("zz-vanishing.md", "# Gone\n\nThis file is deleted while the ingest runs.\n")
        let pdf = try write("report.key", "Keynote")

        let report = try knowledge.ingest([directory.appendingPathComponent("docs").path, pdf]) { _, _, path in
            if path == huge { try? FileManager.default.removeItem(atPath: vanishing) }
        }
        #expect(report.added == [good])
        #expect(report.failed == [
            "\(pdf): error: unsupported file type '.key' (supported: .csv, .docx, .htm, .html, .hwp, .hwpx, .jsonl, .markdown, .md, .pdf, .pptx, .txt, .xlsx)",
            "\(binary): error: binary file (NUL byte at offset 4), not text",
            "\(empty): error: empty file",
            "\(huge): error: file is 104857600 bytes, more than the 20 MB limit for one document",
            "\(latin1): byte 3: error: neither UTF-8 nor CP949/EUC-KR text (bytes 0xE9 0x20)",
            "\(vanishing): error: file disappeared during ingest; nothing stored",
        ])
        #expect(try knowledge.counts() == (documents: 1, chunks: 1))
    }

    @Test(.requiresMiniLM) func aDatabaseBuiltWithAnotherModelIsRefused() throws {
        let knowledge = try knowledge()
        _ = try write("a.txt", "Some text.\n")
        _ = try knowledge.ingest([directory.appendingPathComponent("docs").path])
        let connection = try Connection(path: knowledge.path)
        try connection.execute("UPDATE settings SET value = 'other-model (safetensors, 768d, 1234)' WHERE key = 'embedding_model'")
        try connection.execute("UPDATE settings SET value = '768' WHERE key = 'embedding_dimension'")
        let identity = knowledge.embedder.identity
        #expect(throws: RetrievalError("""
            \(knowledge.path): error: built with embedding model 'other-model (safetensors, 768d, 1234)' (768 dimensions), \
            but this run uses '\(identity)' (384 dimensions); use that model (--model) or ingest into a new database
            """)) {
            try KnowledgeBase(path: knowledge.path, embedder: knowledge.embedder)
        }
        #expect(throws: RetrievalError.self) { try knowledge.ingest([directory.path]) }
    }

    @Test(.requiresMiniLM) func synchronizedCreatesThenUpdatesAWorkflowKnowledgeBase() throws {
        let model = try #require(ReferenceModels.miniLM)
        let source = try write("faq.md", "# 축제 FAQ\n\n드론 라이트쇼는 밤 8시 30분에 열린다.\n")
        let database = directory.appendingPathComponent(".baton/knowledge/agency.db").path
        var (knowledge, report) = try KnowledgeBase.synchronized(path: database, sources: [source], modelPath: model)
        #expect(report.added == [source])
        (knowledge, report) = try KnowledgeBase.synchronized(path: database, sources: [source])
        #expect(report.unchanged == [source])
        #expect(try knowledge.search(query: "드론 라이트쇼", topK: 1).first?.source == source)
    }

    @Test(.requiresMiniLM) func anotherProgramsDatabaseIsLeftAlone() throws {
        let embedder = try #require(SentenceEmbedderTests.embedder)
        let path = directory.appendingPathComponent("audit.db").path
        let other = try Connection(path: path)
        try other.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)")
        #expect(throws: RetrievalError("\(path): error: not a knowledge database (another program's SQLite file); choose a new file name")) {
            try KnowledgeBase(path: path, embedder: embedder, create: true)
        }
        #expect(try other.scalar("SELECT count(*) FROM sqlite_master").int == 1)
    }

    @Test(.requiresMiniLM) func hybridLeansOnLexicalForKoreanWhenTheModelReadsJamo() throws {
        let knowledge = try knowledge()
        #expect(knowledge.embedder.readsHangul == false)
        #expect(knowledge.vectorWeight("brand colors") == 1)
        #expect(knowledge.vectorWeight("브랜드 색상") == 0)
        #expect(knowledge.vectorWeight("E2 가격") == 0.5)
        #expect(KnowledgeBase.fuse([[(1, 0.9), (2, 0.8)], [(2, 5), (3, 4)]], weights: [0, 1]).map(\.id) == [2, 3, 1])
    }

    @Test func halfPrecisionScanReturnsTheExactTopK() {
        var index = VectorIndex(dimension: 64)
        var seed: UInt64 = 11
        for id in 0..<5000 {
            let row = (0..<64).map { _ -> Float in seed = seed &* 6364136223846793005 &+ 1; return Float(seed >> 40) / Float(1 << 24) - 0.5 }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            index.append(id: Int64(id), document: Int64(id % 3), vector: row.map { $0 / norm })
        }
        for trial in 0..<5 {
            let query = (0..<64).map { j in Float((j * 7 + trial * 13) % 17) - 8 }
            var exact = index
            exact.halfScanAbove = .max
            index.halfScanAbove = 0
            let fast = index.search(query, k: 10, allowed: trial == 0 ? [1] : nil)
            let reference = exact.search(query, k: 10, allowed: trial == 0 ? [1] : nil)
            #expect(fast.map(\.id) == reference.map(\.id))
            #expect(fast.map(\.score) == reference.map(\.score))
        }
    }

    @Test func vectorIndexTopKMatchesSorting() {
        var index = VectorIndex(dimension: 4)
        var seed: UInt64 = 3
        var rows: [[Float]] = []
        for id in 0..<500 {
            let row = (0..<4).map { _ -> Float in seed = seed &* 6364136223846793005 &+ 1; return Float(seed >> 40) / Float(1 << 24) - 0.5 }
            rows.append(row)
            index.append(id: Int64(id), document: Int64(id % 7), vector: row)
        }
        let query: [Float] = [0.5, -0.5, 0.25, 0.1]
        let expected = rows.indices.sorted { a, b in
            let (x, y) = (zip(rows[a], query).map(*).reduce(0, +), zip(rows[b], query).map(*).reduce(0, +))
            return x != y ? x > y : a < b
        }
        #expect(index.search(query, k: 10).map(\.id) == expected.prefix(10).map { Int64($0) })
        #expect(index.search(query, k: 5, allowed: [3]).map(\.id) == expected.filter { $0 % 7 == 3 }.prefix(5).map { Int64($0) })
    }
}

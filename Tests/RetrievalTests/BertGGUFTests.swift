import Foundation
import Testing
import TestSupport
@testable import Retrieval

/// A BERT GGUF converted from the same model (Fixtures/make_bert_gguf.py, run into a temporary
/// folder: the file is 46 MB) must tokenize like HF `tokenizers` and embed like the safetensors model.
@Suite struct BertGGUFTests {
    static let ggufPath: String? = {
        guard let model = ReferenceModels.miniLM,
              let script = Bundle.module.url(forResource: "Fixtures/make_bert_gguf", withExtension: "py") else { return nil }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("baton-minilm-\(UUID().uuidString).gguf").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, model, output, "f16"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? Spawn.run(process)) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? output : nil
    }()

    @Test(.requiresMiniLM) func ggufEmbedderMatchesSafetensors() throws {
        let path = try #require(Self.ggufPath, "could not convert the model to GGUF (pip install gguf numpy)")
        let reference = try #require(SentenceEmbedderTests.embedder)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let embedder = try SentenceEmbedder(path: path)
        #expect(embedder.dimension == 384)
        #expect(embedder.maxTokens == 512)
        #expect(embedder.identity.hasPrefix("all-MiniLM-L6-v2 (gguf, 384d, "))
        let fixture = try WordPieceTokenizerTests.fixture()
        for testCase in fixture.cases {
            #expect(embedder.tokenizer.encode(testCase.text, maxLength: testCase.max_length).ids == testCase.ids, "\(testCase.text.debugDescription)")
        }
        let texts = ["The brand voice is warm and direct.", "보도자료를 세 문장으로 요약해 주세요.", "Aurora E2 배터리 60 km"]
        for (a, b) in zip(try embedder.embed(texts), try reference.embed(texts)) {
            let cosine = zip(a.vector, b.vector).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(cosine > 0.9999)   // F16 weights
        }
    }

    @Test func nonBertGGUFIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-model-\(UUID().uuidString).gguf").path
        try Data("GGUF".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RetrievalError.self) { try SentenceEmbedder(path: path) }
    }
}

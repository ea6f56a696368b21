import Foundation
import Testing
@testable import Retrieval

/// The XLM-RoBERTa embedder (multilingual-e5 / bge-m3 shape) against transformers'
/// `XLMRobertaModel` on a tiny random-weight model (`make_xlmr_model.py`) with the Unigram
/// tokenizer trained on the Korean/English corpus.
@Suite("XLM-RoBERTa embedder")
struct XLMRobertaEmbedderTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/xlmr")

    struct Case: Decodable { var text: String; var ids: [Int32]; var mean: [Double]; var cls: [Double] }

    static func cases() throws -> [Case] {
        struct File: Decodable { var cases: [Case] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json"))).cases
    }

    static func cosine(_ a: [Float], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + Double($1.0) * $1.1 } / ((b.reduce(0) { $0 + $1 * $1 }).squareRoot())
    }

    /// A copy of the model folder under `name`, with `pooling` as its 1_Pooling mode.
    static func copy(as name: String, cls: Bool) throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("baton-xlmr-\(UUID().uuidString)/\(name)")
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: directory.appendingPathComponent("e5-tiny"), to: target)
        let pooling = #"{"pooling_mode_cls_token": \#(cls), "pooling_mode_mean_tokens": \#(!cls)}"#
        try Data(pooling.utf8).write(to: target.appendingPathComponent("1_Pooling/config.json"))
        return target.path
    }

    static func embedder(_ folder: String) throws -> SentenceEmbedder { try SentenceEmbedder(path: folder, threads: 2) }

    @Test("ids and mean-pooled embeddings equal transformers' (cosine ≥ 0.99999)")
    func meanPooling() throws {
        let embedder = try Self.embedder(Self.directory.appendingPathComponent("e5-tiny").path)
        #expect(embedder.pooling == .mean && embedder.prefixes == .e5)
        #expect(embedder.maxTokens == 64)  // 66 positions less RoBERTa's offset of pad_token_id + 1
        let cases = try Self.cases()
        let embeddings = try embedder.embed(cases.map(\.text))
        for (item, embedding) in zip(cases, embeddings) {
            #expect(embedder.tokenizer.encode(item.text, maxLength: embedder.maxTokens).ids == item.ids, "\(item.text)")
            #expect(embedding.tokenCount == item.ids.count)
            let cosine = Self.cosine(embedding.vector, item.mean)
            #expect(cosine >= 0.99999, "\(item.text): cosine \(cosine)")
        }
    }

    @Test("CLS pooling (bge-m3's) when 1_Pooling says so; no prefixes without e5 in the name")
    func clsPooling() throws {
        let folder = try Self.copy(as: "bge-tiny", cls: true)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let embedder = try Self.embedder(folder)
        #expect(embedder.pooling == .cls && embedder.prefixes == .none)
        let cases = try Self.cases()
        for (item, embedding) in zip(cases, try embedder.embed(cases.map(\.text), as: .passage)) {
            let cosine = Self.cosine(embedding.vector, item.cls)
            #expect(cosine >= 0.99999, "\(item.text): cosine \(cosine)")
        }
    }

    @Test("e5 prefixes: a query is embedded as 'query: ' + text, a passage as 'passage: ' + text")
    func e5Prefixes() throws {
        let embedder = try Self.embedder(Self.directory.appendingPathComponent("e5-tiny").path)
        #expect(try embedder.embed(["한빛 브랜드 톤"], as: .query) == embedder.embed(["query: 한빛 브랜드 톤"]))
        #expect(try embedder.embed(["한빛 브랜드 톤"], as: .passage) == embedder.embed(["passage: 한빛 브랜드 톤"]))
        #expect(try embedder.embed(["한빛 브랜드 톤"], as: .query) != embedder.embed(["한빛 브랜드 톤"], as: .passage))
        #expect(embedder.identity.hasSuffix(#" with prefixes "query: "/"passage: ""#))
    }

    struct GGUFCase: Decodable { var text: String; var ids: [Int32]; var vector: [Double] }

    @Test("an XLM-RoBERTa GGUF (bert with the t5 tokenizer) gives llama.cpp's ids and embeddings")
    func xlmRobertaGGUF() throws {
        struct File: Decodable { var cases: [GGUFCase] }
        let url = Self.directory.appendingPathComponent("gguf_expected.json")
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        let embedder = try Self.embedder(Self.directory.appendingPathComponent("e5-tiny.gguf").path)
        #expect(embedder.pooling == .mean && embedder.prefixes == .e5 && embedder.maxTokens == 64)
        #expect(embedder.identity.hasPrefix("e5-tiny (gguf, xlm-roberta, 64d, "))
        let embeddings = try embedder.embed(cases.map(\.text))
        for (item, embedding) in zip(cases, embeddings) {
            #expect(embedder.tokenizer.encode(item.text).ids == item.ids, "\(item.text)")
            let cosine = Self.cosine(embedding.vector, item.vector)
            #expect(cosine >= 0.99999, "\(item.text): cosine \(cosine)")
        }
        // Where llama.cpp's ids equal HF's (all but the jamo text), the GGUF embeds as the folder does.
        let reference = try Self.cases()
        for ((item, embedding), expected) in zip(zip(cases, embeddings), reference) where item.ids == expected.ids {
            #expect(Self.cosine(embedding.vector, expected.mean) >= 0.99999, "\(item.text)")
        }
        #expect(zip(cases, reference).filter { $0.ids != $1.ids }.map(\.0.text) == ["ㅎㅏㄴ 자모"])
    }

    @Test("config_sentence_transformers.json's prompts win over the name", arguments: [
        (#"{"prompts": {"query": "Q: ", "document": "D: "}}"#, EmbeddingPrefixes(query: "Q: ", passage: "D: ")),
        (#"{"prompts": {"query": "", "passage": ""}}"#, EmbeddingPrefixes.none),
        (#"{"prompts": {}}"#, EmbeddingPrefixes.e5),
    ])
    func explicitPrompts(json: String, expected: EmbeddingPrefixes) throws {
        let folder = try Self.copy(as: "multilingual-e5-tiny", cls: false)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        try Data(json.utf8).write(to: URL(fileURLWithPath: folder + "/config_sentence_transformers.json"))
        #expect(try Self.embedder(folder).prefixes == expected)
    }

    @Test("another model_type is refused naming its config")
    func unsupportedType() throws {
        let folder = try Self.copy(as: "deberta-like", cls: false)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let config = folder + "/config.json"
        try Data(#"{"model_type": "deberta-v2"}"#.utf8).write(to: URL(fileURLWithPath: config))
        #expect(throws: RetrievalError("\(config): error: model_type 'deberta-v2' is not supported (only 'bert' and 'xlm-roberta')")) {
            try Self.embedder(folder)
        }
    }

    @Test("ingest embeds passages and search embeds the query with e5's prefixes")
    func knowledgeBaseUsesPrefixes() throws {
        let embedder = try Self.embedder(Self.directory.appendingPathComponent("e5-tiny").path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-xlmr-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "한빛 브랜드의 말투는 따뜻하고 담백합니다."
        let document = directory.appendingPathComponent("tone.txt")
        try Data(text.utf8).write(to: document)
        let knowledge = try KnowledgeBase(path: directory.appendingPathComponent("kb.db").path, embedder: embedder, create: true)
        #expect(try knowledge.ingest([document.path]).added == [document.path])
        let stored = try knowledge.loadIndex()
        let passage = try #require(try embedder.embed([text], as: .passage).first).vector
        let query = try #require(try embedder.embed(["브랜드 말투"], as: .query).first).vector
        let hit = try #require(try knowledge.vectorSearch("브랜드 말투", k: 1, allowed: nil).first)
        let expected = zip(passage, query).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        #expect(stored.count == 1)
        #expect(abs(hit.score - expected) < 1e-5, "score \(hit.score), passage·query \(expected)")
        let unprefixed = try #require(try embedder.embed(["브랜드 말투"]).first).vector
        #expect(abs(hit.score - zip(passage, unprefixed).reduce(0) { $0 + Double($1.0) * Double($1.1) }) > 1e-3)
    }
}

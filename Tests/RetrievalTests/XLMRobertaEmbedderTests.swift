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

    @Test("ids and mean-pooled embeddings equal transformers' (cosine ≥ 0.99999)")
    func meanPooling() throws {
        let embedder = try XLMRobertaEmbedder(folder: Self.directory.appendingPathComponent("e5-tiny").path)
        #expect(!embedder.clsPooling && embedder.prefixes == ("query: ", "passage: "))
        let cases = try Self.cases()
        let vectors = embedder.embed(raw: cases.map(\.text))
        for (item, vector) in zip(cases, vectors) {
            #expect(embedder.ids(item.text) == item.ids, "\(item.text)")
            let cosine = Self.cosine(vector, item.mean)
            #expect(cosine >= 0.99999, "\(item.text): cosine \(cosine)")
        }
    }

    @Test("CLS pooling (bge-m3's) when 1_Pooling says so; no prefixes without e5 in the name")
    func clsPooling() throws {
        let folder = try Self.copy(as: "bge-tiny", cls: true)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let embedder = try XLMRobertaEmbedder(folder: folder)
        #expect(embedder.clsPooling && embedder.prefixes == ("", ""))
        let cases = try Self.cases()
        for (item, vector) in zip(cases, embedder.embed(cases.map(\.text), as: .passage)) {
            let cosine = Self.cosine(vector, item.cls)
            #expect(cosine >= 0.99999, "\(item.text): cosine \(cosine)")
        }
    }

    @Test("e5 prefixes: a query is embedded as 'query: ' + text, a passage as 'passage: ' + text")
    func e5Prefixes() throws {
        let embedder = try XLMRobertaEmbedder(folder: Self.directory.appendingPathComponent("e5-tiny").path)
        #expect(embedder.embed(["한빛 브랜드 톤"], as: .query) == embedder.embed(raw: ["query: 한빛 브랜드 톤"]))
        #expect(embedder.embed(["한빛 브랜드 톤"], as: .passage) == embedder.embed(raw: ["passage: 한빛 브랜드 톤"]))
    }

    @Test("a BERT folder is refused naming its config")
    func notXLMRoberta() throws {
        let folder = try Self.copy(as: "bert-like", cls: false)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: folder).deletingLastPathComponent().path) }
        let config = folder + "/config.json"
        try Data(#"{"model_type": "bert"}"#.utf8).write(to: URL(fileURLWithPath: config))
        #expect(throws: RetrievalError("\(config): error: model_type 'bert' is not xlm-roberta")) { try XLMRobertaEmbedder(folder: folder) }
    }
}

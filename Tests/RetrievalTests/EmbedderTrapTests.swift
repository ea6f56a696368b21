import Foundation
import Testing
@testable import Retrieval

/// Issue 18 item 3: values an embedding model's files give, converted or added without a check,
/// trapped (`Int32(...)` of a special token id from GGUF metadata or config.json, `pad_token_id + 1`)
/// or read past a table (a token-type tensor with no full row). Each is now an error naming the
/// file and the key.
@Suite struct EmbedderTrapTests {
    /// FuzzBert's seed: a 1-layer, 32-wide random BERT GGUF (`Fuzz/Corpus/make_bert_seeds.py`).
    static var seed: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/FuzzBert/tiny-f32.gguf")
    }

    /// The seed with the UINT32 value of metadata `key` replaced by `value`, in a scratch file.
    static func seed(setting key: String, to value: UInt32) throws -> String {
        var bytes = try [UInt8](Data(contentsOf: seed))
        let needle = Array(key.utf8)
        let at = try #require(bytes.indices.dropLast(needle.count).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) })
        let typeAt = at + needle.count
        #expect(bytes[typeAt..<(typeAt + 4)].elementsEqual([4, 0, 0, 0]), "\(key) is not a UINT32")
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange((typeAt + 4)..<(typeAt + 8), with: $0) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bert-\(UUID().uuidString).gguf")
        try Data(bytes).write(to: path)
        return path.path
    }

    @Test func theSeedModelLoadsAndEmbeds() throws {
        let embedder = try SentenceEmbedder(path: Self.seed.path, threads: 1)
        let vectors = try embedder.embed(["안녕하세요, Baton!", "hello"])
        #expect(vectors.map(\.vector.count) == [32, 32])
    }

    @Test(arguments: ["cls_token_id", "seperator_token_id", "unknown_token_id", "padding_token_id"], [UInt32.max, 1 << 31, 68])
    func aSpecialTokenIdOutsideTheVocabularyIsAnError(key: String, value: UInt32) throws {
        let path = try Self.seed(setting: "tokenizer.ggml.\(key)", to: value)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: RetrievalError.self) { try SentenceEmbedder(path: path, threads: 1) }
        #expect(error.message == "\(path): error: tokenizer.ggml.\(key) is \(value), outside the vocabulary (0..<68)")
    }

    @Test func aTokenTypeTensorWithoutAFullRowIsAnError() throws {
        let config = BertConfig(vocabularySize: 8, hiddenSize: 32, layerCount: 1, headCount: 2, intermediateSize: 32, maxPositions: 8)
        let error = try #require(throws: RetrievalError.self) {
            _ = try BertWeights(config: config, names: .gguf) { (name: String, shape: [Int]) throws(RetrievalError) -> [Float] in
                name == "token_types.weight" ? [] : [Float](repeating: 0.5, count: shape.reduce(1, *))
            }
        }
        #expect(error.message == "error: tensor 'token_types.weight' holds 0 values, less than one row of 32")
    }

    /// A copy of the XLM-RoBERTa fixture with `key` set to `value` in its config.json.
    static func xlmr(setting key: String, to value: Int) throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("baton-xlmr-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: XLMRobertaEmbedderTests.directory.appendingPathComponent("e5-tiny"), to: target)
        let configURL = target.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config[key] = value
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        return target.path
    }

    @Test(arguments: [("pad_token_id", Int.max, "pad_token_id 9223372036854775807 leaves no positions of 66"),
                      ("bos_token_id", 1 << 40, "bos_token_id 1099511627776 is outside the vocabulary (0..<623)"),
                      ("bos_token_id", -1, "bos_token_id -1 is outside the vocabulary (0..<623)"),
                      ("eos_token_id", 623, "eos_token_id 623 is outside the vocabulary (0..<623)")])
    func anXLMRobertaConfigIdOutOfRangeIsAnError(key: String, value: Int, message: String) throws {
        let folder = try Self.xlmr(setting: key, to: value)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: RetrievalError.self) { try SentenceEmbedder(path: folder, threads: 2) }
        #expect(error.message == "\(folder)/config.json: error: \(message)")
    }
}

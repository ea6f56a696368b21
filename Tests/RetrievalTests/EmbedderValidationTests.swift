import Foundation
import Testing
@testable import Retrieval

/// Issue 19 item 8: the embedder checks its files against each other at load, so a corrupt
/// model folder is a clear error naming the file and the problem, never a crash or `null` vectors.
@Suite struct EmbedderValidationTests {
    /// A tiny BERT model folder (hidden 32, 2 heads, 1 layer, vocabulary of 8) with seeded weights;
    /// `change` edits the pieces before they are written.
    struct TinyModel {
        var config: [String: Any] = [
            "model_type": "bert", "vocab_size": 8, "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 64, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
            "hidden_act": "gelu",
        ]
        var vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "##s", "봄"]
        var addedTokens: [(String, Int)] = [("[PAD]", 0), ("[UNK]", 1), ("[CLS]", 2), ("[SEP]", 3)]
        var sentenceConfig: [String: Any]? = ["max_seq_length": 16]
        /// Values to put in a tensor after it is generated (name, element, value).
        var poke: (String, Int, Float)?
        /// Added to the declared header length (the header is padded with spaces, as writers do).
        var headerLengthError = 0

        var tensors: [(String, [Int])] {
            let l = "encoder.layer.0."
            var list: [(String, [Int])] = [
                ("embeddings.word_embeddings.weight", [8, 32]), ("embeddings.position_embeddings.weight", [16, 32]),
                ("embeddings.token_type_embeddings.weight", [2, 32]),
                ("embeddings.LayerNorm.weight", [32]), ("embeddings.LayerNorm.bias", [32]),
            ]
            for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                list += [(l + name + ".weight", [32, 32]), (l + name + ".bias", [32])]
            }
            list += [(l + "attention.output.LayerNorm.weight", [32]), (l + "attention.output.LayerNorm.bias", [32]),
                     (l + "intermediate.dense.weight", [64, 32]), (l + "intermediate.dense.bias", [64]),
                     (l + "output.dense.weight", [32, 64]), (l + "output.dense.bias", [32]),
                     (l + "output.LayerNorm.weight", [32]), (l + "output.LayerNorm.bias", [32])]
            return list
        }

        func write() throws -> String {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-tiny-bert-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
            if let sentenceConfig {
                try JSONSerialization.data(withJSONObject: sentenceConfig).write(to: folder.appendingPathComponent("sentence_bert_config.json"))
            }
            let tokenizer: [String: Any] = [
                "added_tokens": addedTokens.map { ["content": $0.0, "id": $0.1, "special": true] },
                "normalizer": ["type": "BertNormalizer", "lowercase": true],
                "model": ["type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                          "vocab": Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })],
            ]
            try JSONSerialization.data(withJSONObject: tokenizer).write(to: folder.appendingPathComponent("tokenizer.json"))
            var seed: UInt64 = 7
            var header: [String] = []
            var data: [UInt8] = []
            for (name, shape) in tensors {
                let count = shape.reduce(1, *)
                var values = (0..<count).map { _ -> Float in
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    return Float(Int64(bitPattern: seed) >> 40) / Float(1 << 23) * 0.1
                }
                if name.hasSuffix("LayerNorm.weight") { values = values.map { 1 + $0 } }
                if let poke, poke.0 == name { values[poke.1] = poke.2 }
                header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[\(data.count),\(data.count + count * 4)]}")
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            }
            var json = Array(("{" + header.joined(separator: ",") + "}").utf8)
            json += Array(repeating: UInt8(ascii: " "), count: 8 - json.count % 8 + 8)
            var bytes: [UInt8] = []
            withUnsafeBytes(of: UInt64(json.count + headerLengthError).littleEndian) { bytes.append(contentsOf: $0) }
            try Data(bytes + json + data).write(to: folder.appendingPathComponent("model.safetensors"))
            return folder.path
        }
    }

    func loadError(_ model: TinyModel) throws -> String {
        let folder = try model.write()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: RetrievalError.self) { _ = try SentenceEmbedder(path: folder) }
        return error.description.replacingOccurrences(of: folder, with: "MODEL")
    }

    @Test func theTinyModelLoadsAndEmbeds() throws {
        let folder = try TinyModel().write()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let embedder = try SentenceEmbedder(path: folder)
        let vectors = try embedder.embed(["hello worlds", "봄"])
        #expect(vectors.count == 2)
        for vector in vectors {
            #expect(vector.vector.count == 32 && vector.vector.allSatisfy(\.isFinite))
            #expect(abs(vector.vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
    }

    @Test func anAddedTokenBeyondTheVocabularyIsRefused() throws {
        var model = TinyModel()
        model.addedTokens.append(("[MASK]", 99))
        #expect(try loadError(model) == "MODEL/tokenizer.json: error: added token '[MASK]' has id 99, outside the vocabulary (0..<8)")
    }

    @Test func aVocabularyLargerThanTheWeightsIsRefused() throws {
        var model = TinyModel()
        model.vocabulary.append("extra")
        #expect(try loadError(model) == "MODEL/tokenizer.json: error: the vocabulary has 9 tokens but the model's vocab_size is 8")
    }

    @Test(arguments: [Float.nan, .infinity])
    func aNonFiniteWeightIsRefused(value: Float) throws {
        var model = TinyModel()
        model.poke = ("encoder.layer.0.attention.self.key.weight", 37, value)
        #expect(try loadError(model) == "MODEL/model.safetensors: error: tensor 'encoder.layer.0.attention.self.key.weight' holds a non-finite value (\(value)) at element 37; the file is corrupt")
    }

    @Test(arguments: [(-1.0, "-1.0"), (0.0, "0.0"), (2.0, "2.0")])
    func aBadLayerNormEpsilonIsRefused(epsilon: Double, shown: String) throws {
        var model = TinyModel()
        model.config["layer_norm_eps"] = epsilon
        #expect(try loadError(model) == "MODEL/config.json: error: layer_norm_eps is \(shown); it must be a small positive number (such as 1e-12)")
    }

    @Test func anUnknownActivationIsRefused() throws {
        var model = TinyModel()
        model.config["hidden_act"] = "swish"
        #expect(try loadError(model) == "MODEL/config.json: error: hidden_act 'swish' is not supported (only 'gelu', the exact erf form BERT uses)")
    }

    @Test(arguments: [1_000_000_000, 1, -5])
    func anAbsurdMaxSequenceLengthIsRefused(length: Int) throws {
        var model = TinyModel()
        model.sentenceConfig = ["max_seq_length": length]
        #expect(try loadError(model) == "MODEL/sentence_bert_config.json: error: max_seq_length \(length) is not in 2...16 (max_position_embeddings)")
    }

    /// The header is padded with spaces, so a length one short still parses as JSON: every tensor
    /// then starts one byte early, and the tensors no longer tile the data exactly. One long takes
    /// a space into the header, and the last tensor runs past the end.
    @Test(arguments: [-1, 1])
    func aHeaderLengthOffByOneIsRefused(error: Int) throws {
        var model = TinyModel()
        model.headerLengthError = error
        let message = try loadError(model)
        #expect(message.hasPrefix("MODEL/model.safetensors"))
        #expect(message.contains(error < 0 ? "the header length is wrong" : "run past the end of the data"), "\(message)")
    }
}

import Foundation

/// A multilingual XLM-RoBERTa sentence embedder (multilingual-e5, bge-m3) from a
/// sentence-transformers folder: `config.json` (`model_type: xlm-roberta`), `model.safetensors`,
/// `tokenizer.json` (SentencePiece Unigram, `UnigramTokenizer`) and `1_Pooling/config.json`.
///
/// XLM-RoBERTa is BERT's encoder with three differences this type supplies around `BertEncoder`
/// (whose kernels it uses unchanged): positions count from `pad_token_id + 1` (RoBERTa's offset,
/// applied by dropping those rows of the position table), one token type, and the pooling the
/// folder's `1_Pooling/config.json` names (`pooling_mode_cls_token` for bge-m3, mean for e5;
/// mean when the file is absent). Sequences are `<s>` + ids + `</s>` (`bos_token_id`,
/// `eos_token_id`). e5 models expect `query: ` / `passage: ` before the text: `prefixes` holds
/// them when the folder's name contains `e5`, and `embed(_:as:)` applies them.
public struct XLMRobertaEmbedder: Sendable {
    /// Which side of a search a text is on (e5 prefixes differ).
    public enum Role: Sendable { case query, passage }

    public let tokenizer: UnigramTokenizer
    let encoder: BertEncoder
    let bos: Int32, eos: Int32
    public let clsPooling: Bool
    public let prefixes: (query: String, passage: String)
    /// The most tokens per text, `<s>` and `</s>` included.
    public let maxTokens: Int

    /// Loads `folder`; every missing or malformed file is an error naming it.
    public init(folder: String) throws(RetrievalError) {
        let configPath = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: configPath),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RetrievalError("\(configPath): error: missing or not JSON")
        }
        guard json["model_type"] as? String == "xlm-roberta" else {
            throw RetrievalError("\(configPath): error: model_type '\(json["model_type"] ?? "missing")' is not xlm-roberta")
        }
        func int(_ key: String) -> Int { json[key] as? Int ?? 0 }
        let padding = json["pad_token_id"] as? Int ?? 1
        let full = BertConfig(vocabularySize: int("vocab_size"), hiddenSize: int("hidden_size"), layerCount: int("num_hidden_layers"),
                              headCount: int("num_attention_heads"), intermediateSize: int("intermediate_size"),
                              maxPositions: int("max_position_embeddings"), typeVocabularySize: max(1, int("type_vocab_size")),
                              layerNormEpsilon: Float(json["layer_norm_eps"] as? Double ?? 1e-5))
        try full.validate(source: configPath)
        let (offset, overflow) = padding.addingReportingOverflow(1)
        guard !overflow, offset >= 0, offset < full.maxPositions else {
            throw RetrievalError("\(configPath): error: pad_token_id \(padding) leaves no positions of \(full.maxPositions)")
        }
        let weightsPath = folder + "/model.safetensors"
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw RetrievalError(error.description) }
        let prefix = file.tensor(named: "roberta.embeddings.word_embeddings.weight") != nil ? "roberta." : ""
        var weights = try BertWeights(config: full, names: .huggingFace(prefix: prefix)) { (name, shape) throws(RetrievalError) in
            do throws(SafetensorsError) { return try file.floats(name, shape: shape) } catch { throw RetrievalError(error.description) }
        }
        // Position p of a sequence uses row p + pad_token_id + 1.
        weights.positionEmbeddings.removeFirst(offset * full.hiddenSize)
        var config = full
        config.maxPositions -= offset
        encoder = BertEncoder(config: config, weights: weights)
        maxTokens = config.maxPositions
        let tokenizerPath = folder + "/tokenizer.json"
        guard let tokenizerData = FileManager.default.contents(atPath: tokenizerPath) else {
            throw RetrievalError("\(tokenizerPath): error: missing")
        }
        tokenizer = try UnigramTokenizer(tokenizerJSON: tokenizerData, source: tokenizerPath)
        // The ids index the embedding table: checked before the conversion to `Int32`, which traps.
        func id(_ key: String, default value: Int) throws(RetrievalError) -> Int32 {
            let id = json[key] as? Int ?? value
            guard id >= 0, id < full.vocabularySize, let narrow = Int32(exactly: id) else {
                throw RetrievalError("\(configPath): error: \(key) \(id) is outside the vocabulary (0..<\(full.vocabularySize))")
            }
            return narrow
        }
        bos = try id("bos_token_id", default: 0)
        eos = try id("eos_token_id", default: 2)
        guard tokenizer.pieces.count <= full.vocabularySize else {
            throw RetrievalError("\(configPath): error: the tokenizer's \(tokenizer.pieces.count) pieces do not fit vocab_size \(full.vocabularySize)")
        }
        var cls = false
        if let data = FileManager.default.contents(atPath: folder + "/1_Pooling/config.json"),
           let pooling = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            cls = pooling["pooling_mode_cls_token"] as? Bool ?? false
        }
        clsPooling = cls
        let name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent.lowercased()
        prefixes = name.contains("e5") ? ("query: ", "passage: ") : ("", "")
    }

    /// The token ids the encoder reads for `text` (truncated to `maxTokens`, `</s>` kept).
    public func ids(_ text: String) -> [Int32] {
        let body = tokenizer.encode(text).prefix(max(0, maxTokens - 2)).map(Int32.init)
        return [bos] + body + [eos]
    }

    /// One unit vector per text, each with its role's prefix (e5) before it.
    public func embed(_ texts: [String], as role: Role) -> [[Float]] {
        let prefix = role == .query ? prefixes.query : prefixes.passage
        return embed(raw: texts.map { prefix + $0 })
    }

    /// One unit vector per text, as given (no prefix).
    public func embed(raw texts: [String]) -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        let sequences = texts.map(ids)
        let h = encoder.config.hiddenSize
        let hidden = encoder.encode(sequences)   // [T × h]
        var result: [[Float]] = []
        var start = 0
        for sequence in sequences {
            var pooled = [Float](repeating: 0, count: h)
            if clsPooling {
                for j in 0..<h { pooled[j] = hidden[start * h + j] }
            } else {
                for t in start..<(start + sequence.count) { for j in 0..<h { pooled[j] += hidden[t * h + j] } }
                for j in 0..<h { pooled[j] /= Float(sequence.count) }
            }
            start += sequence.count
            let norm = pooled.reduce(0) { $0 + $1 * $1 }.squareRoot()
            result.append(pooled.map { $0 / max(norm, 1e-12) })
        }
        return result
    }
}

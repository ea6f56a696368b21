import Foundation

extension SentenceEmbedder {
    /// Loads an XLM-RoBERTa sentence-transformers folder (multilingual-e5, bge-m3): `config.json`
    /// (`model_type: xlm-roberta`, already parsed as `json`), `model.safetensors`, `tokenizer.json`
    /// (SentencePiece Unigram, `UnigramTokenizer`), and optionally `1_Pooling/config.json`,
    /// `sentence_bert_config.json` and `config_sentence_transformers.json`.
    ///
    /// XLM-RoBERTa is BERT's encoder with three differences supplied here around `BertEncoder`
    /// (whose kernels it uses unchanged): positions count from `pad_token_id + 1` (RoBERTa's
    /// offset, applied by dropping those rows of the position table), one token type, and
    /// sequences of `<s>` + Unigram ids + `</s>` (`bos_token_id`, `eos_token_id`).
    static func loadXLMRoberta(_ folder: String, json: [String: Any], threads: Int?) throws(RetrievalError) -> SentenceEmbedder {
        let configPath = folder + "/config.json"
        func int(_ key: String) -> Int { json[key] as? Int ?? 0 }
        let padding = json["pad_token_id"] as? Int ?? 1
        let full = BertConfig(vocabularySize: int("vocab_size"), hiddenSize: int("hidden_size"), layerCount: int("num_hidden_layers"),
                              headCount: int("num_attention_heads"), intermediateSize: int("intermediate_size"),
                              maxPositions: int("max_position_embeddings"), typeVocabularySize: max(1, int("type_vocab_size")),
                              layerNormEpsilon: Float(json["layer_norm_eps"] as? Double ?? 1e-5))
        try full.validate(source: configPath)
        try BertConfig.checkActivation(json["hidden_act"].map { $0 as? String ?? "\($0)" }, source: configPath)
        let (offset, overflow) = padding.addingReportingOverflow(1)
        guard !overflow, offset >= 0, offset < full.maxPositions else {
            throw RetrievalError("\(configPath): error: pad_token_id \(padding) leaves no positions of \(full.maxPositions)")
        }
        var (file, weights) = try safetensorsWeights(folder, config: full, prefix: "roberta.")
        // Position p of a sequence uses row p + pad_token_id + 1.
        weights.positionEmbeddings.removeFirst(offset * full.hiddenSize)
        var config = full
        config.maxPositions -= offset
        let tokenizerPath = folder + "/tokenizer.json"
        guard let tokenizerData = FileManager.default.contents(atPath: tokenizerPath) else {
            throw RetrievalError("\(tokenizerPath): error: missing")
        }
        let unigram = try UnigramTokenizer(tokenizerJSON: tokenizerData, source: tokenizerPath)
        // The ids index the embedding table: checked before the conversion to `Int32`, which traps.
        func id(_ key: String, default value: Int) throws(RetrievalError) -> Int32 {
            let id = json[key] as? Int ?? value
            guard id >= 0, id < full.vocabularySize, let narrow = Int32(exactly: id) else {
                throw RetrievalError("\(configPath): error: \(key) \(id) is outside the vocabulary (0..<\(full.vocabularySize))")
            }
            return narrow
        }
        let bos = try id("bos_token_id", default: 0), eos = try id("eos_token_id", default: 2)
        guard unigram.pieces.count <= full.vocabularySize else {
            throw RetrievalError("\(configPath): error: the tokenizer's \(unigram.pieces.count) pieces do not fit vocab_size \(full.vocabularySize)")
        }
        let name = modelName(folder)
        let identity = "\(name) (safetensors, xlm-roberta, \(config.hiddenSize)d, \(fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })))"
        return SentenceEmbedder(tokenizer: .unigram(unigram, bos: bos, eos: eos),
                                encoder: BertEncoder(config: config, weights: weights, threads: threads),
                                maxTokens: try maxSequenceLength(folder, positions: config.maxPositions), identity: identity,
                                pooling: try pooling(folder), prefixes: try .forModel(folder: folder, name: name))
    }
}

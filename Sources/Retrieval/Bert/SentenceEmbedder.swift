import Foundation

/// One text's embedding and whether its tokens were cut at the model's limit.
public struct Embedding: Sendable, Equatable {
    /// Unit-length vector.
    public var vector: [Float]
    /// Tokens the model saw, `[CLS]` and `[SEP]` included.
    public var tokenCount: Int
    public var truncated: Bool
}

/// Text in, unit vectors out: tokenizer + BERT encoder + pooling + L2 normalization, loaded from a
/// sentence-transformers model folder (safetensors: BERT with WordPiece, or XLM-RoBERTa with a
/// SentencePiece Unigram vocabulary, `SentenceEmbedder+XLMRoberta.swift`) or a BERT GGUF file.
/// Asymmetric models (e5) put a prefix before queries and passages (`EmbeddingPrefixes`).
public struct SentenceEmbedder: Sendable {
    public let tokenizer: SentenceTokenizer
    public let encoder: BertEncoder
    /// Mean or first-token pooling, from the folder's `1_Pooling/config.json`.
    public let pooling: SentencePooling
    /// What `embed(_:as:)` puts before queries and passages.
    public let prefixes: EmbeddingPrefixes
    /// Tokens per text at most (`[CLS]` and `[SEP]` included): sentence-transformers' `max_seq_length`.
    public let maxTokens: Int
    /// Names the model in knowledge databases: a database built with another identity is refused.
    public let identity: String
    /// Where the model was loaded from (recorded so later searches find it again).
    public var sourcePath: String = ""

    /// Vector width.
    public var dimension: Int { encoder.config.hiddenSize }

    /// Worker threads of the encoder's kernels (and of searches over its vectors).
    public var threads: Int { encoder.threads }

    /// Whether the vocabulary holds Korean as syllables or words (at most 1.5 tokens per syllable,
    /// no `[UNK]`), rather than decomposed jamo pieces: a probe of the tokenizer, not a guess.
    public var readsHangul: Bool {
        let probe = "한국어 문장을 읽습니다"
        let ids = tokenizer.encode(probe).ids.dropFirst().dropLast()
        return !ids.contains(tokenizer.unknownID) && Double(ids.count) <= 1.5 * 10
    }

    /// `identity` names the model in knowledge databases; prefixes other than none are added to
    /// it, since the same weights with other prefixes give other vectors.
    public init(tokenizer: SentenceTokenizer, encoder: BertEncoder, maxTokens: Int, identity: String,
                pooling: SentencePooling = .mean, prefixes: EmbeddingPrefixes = .none) {
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.maxTokens = min(maxTokens, encoder.config.maxPositions)
        self.pooling = pooling
        self.prefixes = prefixes
        self.identity = prefixes == .none ? identity
            : identity + " with prefixes \(prefixes.query.debugDescription)/\(prefixes.passage.debugDescription)"
    }

    /// Loads a model folder (`model.safetensors`, `config.json`, `tokenizer.json`) or a `.gguf`
    /// file; `threads` defaults to every core.
    public init(path: String, threads: Int? = nil) throws(RetrievalError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RetrievalError("\(path): error: no such embedding model (a model folder with model.safetensors, or a .gguf file)")
        }
        if isDirectory.boolValue {
            self = try Self.loadFolder(path, threads: threads)
        } else {
            self = try Self.loadGGUF(path, threads: threads)
        }
        sourcePath = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Embeds `texts`, `batchSize` at a time; texts are sorted by length so batches are alike.
    /// With a `role`, each text gets that role's prefix first (e5's `query: `, `passage: `);
    /// without one it is embedded as given. A vector that is not finite (weights that overflow)
    /// is an error, never a `null` result.
    public func embed(_ texts: [String], as role: EmbeddingRole? = nil, batchSize: Int = 32) throws(RetrievalError) -> [Embedding] {
        let prefix = role.map(prefixes.prefix(for:)) ?? ""
        let encodings = texts.map { tokenizer.encode(prefix + $0, maxLength: maxTokens) }
        let order = encodings.indices.sorted { encodings[$0].ids.count > encodings[$1].ids.count }
        var result = [Embedding?](repeating: nil, count: texts.count)
        var start = 0
        while start < order.count {
            let batch = Array(order[start..<min(order.count, start + max(1, batchSize))])
            let vectors = encoder.embed(batch.map { encodings[$0].ids }, pooling: pooling)
            for (index, vector) in zip(batch, vectors) {
                if let bad = vector.firstIndex(where: { !$0.isFinite }) {
                    throw RetrievalError("\(identity): error: the embedding of text \(index + 1) has a non-finite value (\(vector[bad])) at dimension \(bad); the model's weights are corrupt or overflow")
                }
                result[index] = Embedding(vector: vector, tokenCount: encodings[index].ids.count, truncated: encodings[index].truncated)
            }
            start += batch.count
        }
        return result.compactMap { $0 }
    }

    /// The number of tokens `text` would take (without `[CLS]`/`[SEP]` or a prefix), untruncated: for chunking.
    public func tokenCount(_ text: String) -> Int {
        tokenizer.encode(text).ids.count - 2
    }

    static func loadFolder(_ folder: String, threads: Int?) throws(RetrievalError) -> SentenceEmbedder {
        let configPath = folder + "/config.json"
        guard let data = FileManager.default.contents(atPath: configPath),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RetrievalError("\(configPath): error: missing or not JSON")
        }
        func int(_ key: String) -> Int { json[key] as? Int ?? 0 }
        if let type = json["model_type"] as? String, type != "bert" {
            guard type == "xlm-roberta" else {
                throw RetrievalError("\(configPath): error: model_type '\(type)' is not supported (only 'bert' and 'xlm-roberta')")
            }
            return try loadXLMRoberta(folder, json: json, threads: threads)
        }
        let config = BertConfig(
            vocabularySize: int("vocab_size"), hiddenSize: int("hidden_size"), layerCount: int("num_hidden_layers"),
            headCount: int("num_attention_heads"), intermediateSize: int("intermediate_size"),
            maxPositions: int("max_position_embeddings"), typeVocabularySize: max(1, int("type_vocab_size")),
            layerNormEpsilon: Float(json["layer_norm_eps"] as? Double ?? 1e-12))
        try config.validate(source: configPath)
        try BertConfig.checkActivation(json["hidden_act"].map { $0 as? String ?? "\($0)" }, source: configPath)
        let (file, weights) = try safetensorsWeights(folder, config: config, prefix: "bert.")
        let tokenizer = try WordPieceTokenizer(contentsOf: folder + "/tokenizer.json")
        try checkTokenizer(tokenizer, against: config, source: folder + "/tokenizer.json")
        let identity = "\(modelName(folder)) (safetensors, \(config.hiddenSize)d, \(fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })))"
        return SentenceEmbedder(tokenizer: .wordPiece(tokenizer), encoder: BertEncoder(config: config, weights: weights, threads: threads),
                                maxTokens: try maxSequenceLength(folder, positions: config.maxPositions), identity: identity,
                                pooling: try pooling(folder), prefixes: try .forModel(folder: folder, name: modelName(folder)))
    }

    /// The folder's `model.safetensors` and the encoder weights in it, named as transformers
    /// names them (with `prefix`, e.g. `bert.`, when the file has it), every value checked finite.
    static func safetensorsWeights(_ folder: String, config: BertConfig, prefix: String) throws(RetrievalError) -> (SafetensorsFile, BertWeights) {
        let weightsPath = folder + "/model.safetensors"
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw RetrievalError(error.description) }
        let used = file.tensor(named: prefix + "embeddings.word_embeddings.weight") != nil ? prefix : ""
        let weights = try BertWeights(config: config, names: .huggingFace(prefix: used)) { (name, shape) throws(RetrievalError) in
            let values: [Float]
            do throws(SafetensorsError) { values = try file.floats(name, shape: shape) } catch { throw RetrievalError(error.description) }
            try BertConfig.checkFinite(values, tensor: name, source: weightsPath)
            return values
        }
        return (file, weights)
    }

    /// sentence-transformers' `max_seq_length` (`sentence_bert_config.json`), else `positions`.
    static func maxSequenceLength(_ folder: String, positions: Int) throws(RetrievalError) -> Int {
        let sentenceConfig = folder + "/sentence_bert_config.json"
        guard let data = FileManager.default.contents(atPath: sentenceConfig),
              let st = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let value = st["max_seq_length"] else {
            return positions
        }
        // The start and end tokens need two positions; more than the position table holds cannot be encoded.
        guard let limit = value as? Int, limit >= 2, limit <= positions else {
            throw RetrievalError("\(sentenceConfig): error: max_seq_length \(value) is not in 2...\(positions) (max_position_embeddings)")
        }
        return limit
    }

    /// The folder's `1_Pooling/config.json` mode: CLS when `pooling_mode_cls_token` is true, else
    /// mean (also when the file is absent, as sentence-transformers assumes).
    static func pooling(_ folder: String) throws(RetrievalError) -> SentencePooling {
        let path = folder + "/1_Pooling/config.json"
        guard let data = FileManager.default.contents(atPath: path) else { return .mean }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw RetrievalError("\(path): error: not a JSON object")
        }
        return json["pooling_mode_cls_token"] as? Bool == true ? .cls : .mean
    }

    /// Every token id the tokenizer can produce must have a row in the embedding table: an id
    /// beyond it would be read out of bounds by the encoder.
    static func checkTokenizer(_ tokenizer: WordPieceTokenizer, against config: BertConfig, source: String) throws(RetrievalError) {
        if tokenizer.tokens.count > config.vocabularySize {
            throw RetrievalError("\(source): error: the vocabulary has \(tokenizer.tokens.count) tokens but the model's vocab_size is \(config.vocabularySize)")
        }
        if let added = tokenizer.addedTokens.first(where: { $0.id < 0 || Int($0.id) >= config.vocabularySize }) {
            let content = String(String.UnicodeScalarView(added.scalars.compactMap(Unicode.Scalar.init)))
            throw RetrievalError("\(source): error: added token '\(content)' has id \(added.id), outside the model's vocabulary (0..<\(config.vocabularySize))")
        }
        for special in [tokenizer.unknownID, tokenizer.classifierID, tokenizer.separatorID, tokenizer.paddingID]
        where special < 0 || Int(special) >= config.vocabularySize {
            throw RetrievalError("\(source): error: special token id \(special) is outside the model's vocabulary (0..<\(config.vocabularySize))")
        }
    }

    /// The folder's name, or its parent's when the folder is a generic `model`.
    static func modelName(_ folder: String) -> String {
        let url = URL(fileURLWithPath: folder).standardizedFileURL
        let name = url.lastPathComponent
        return name == "model" ? url.deletingLastPathComponent().lastPathComponent : name
    }

    /// A short content fingerprint (FNV-1a 64 over each tensor's name and 64 sampled bytes):
    /// cheap, unlike hashing every byte, and two different weight files practically never share it.
    static func fingerprint(_ tensors: [(name: String, data: UnsafeRawBufferPointer)]) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        for (name, data) in tensors {
            for byte in name.utf8 { mix(byte) }
            let step = max(1, data.count / 64)
            var offset = 0
            while offset < data.count { mix(data[offset]); offset += step }
        }
        return String(hash, radix: 16)
    }
}

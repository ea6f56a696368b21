import Foundation

/// One text's embedding and whether its tokens were cut at the model's limit.
public struct Embedding: Sendable, Equatable {
    /// Unit-length vector.
    public var vector: [Float]
    /// Tokens the model saw, `[CLS]` and `[SEP]` included.
    public var tokenCount: Int
    public var truncated: Bool
}

/// Text in, unit vectors out: WordPiece tokenizer + BERT encoder + mean pooling + L2 normalization,
/// loaded from a sentence-transformers model folder (safetensors) or a BERT GGUF file.
public struct SentenceEmbedder: Sendable {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
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

    public init(tokenizer: WordPieceTokenizer, encoder: BertEncoder, maxTokens: Int, identity: String) {
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.maxTokens = min(maxTokens, encoder.config.maxPositions)
        self.identity = identity
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
    /// A vector that is not finite (weights that overflow) is an error, never a `null` result.
    public func embed(_ texts: [String], batchSize: Int = 32) throws(RetrievalError) -> [Embedding] {
        let encodings = texts.map { tokenizer.encode($0, maxLength: maxTokens) }
        let order = encodings.indices.sorted { encodings[$0].ids.count > encodings[$1].ids.count }
        var result = [Embedding?](repeating: nil, count: texts.count)
        var start = 0
        while start < order.count {
            let batch = Array(order[start..<min(order.count, start + max(1, batchSize))])
            let vectors = encoder.embed(batch.map { encodings[$0].ids })
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

    /// The number of tokens `text` would take (without `[CLS]`/`[SEP]`), untruncated: for chunking.
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
            throw RetrievalError("\(configPath): error: model_type '\(type)' is not supported (only 'bert')")
        }
        let config = BertConfig(
            vocabularySize: int("vocab_size"), hiddenSize: int("hidden_size"), layerCount: int("num_hidden_layers"),
            headCount: int("num_attention_heads"), intermediateSize: int("intermediate_size"),
            maxPositions: int("max_position_embeddings"), typeVocabularySize: max(1, int("type_vocab_size")),
            layerNormEpsilon: Float(json["layer_norm_eps"] as? Double ?? 1e-12))
        try config.validate(source: configPath)
        try BertConfig.checkActivation(json["hidden_act"].map { $0 as? String ?? "\($0)" }, source: configPath)
        let weightsPath = folder + "/model.safetensors"
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw RetrievalError(error.description) }
        let prefix = file.tensor(named: "bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let weights = try BertWeights(config: config, names: .huggingFace(prefix: prefix)) { (name, shape) throws(RetrievalError) in
            let values: [Float]
            do throws(SafetensorsError) { values = try file.floats(name, shape: shape) } catch { throw RetrievalError(error.description) }
            try BertConfig.checkFinite(values, tensor: name, source: weightsPath)
            return values
        }
        let tokenizer = try WordPieceTokenizer(contentsOf: folder + "/tokenizer.json")
        try checkTokenizer(tokenizer, against: config, source: folder + "/tokenizer.json")
        var maxTokens = config.maxPositions
        let sentenceConfig = folder + "/sentence_bert_config.json"
        if let data = FileManager.default.contents(atPath: sentenceConfig),
           let st = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let value = st["max_seq_length"] {
            // [CLS] and [SEP] need two positions; more than the position table holds cannot be encoded.
            guard let limit = value as? Int, limit >= 2, limit <= config.maxPositions else {
                throw RetrievalError("\(sentenceConfig): error: max_seq_length \(value) is not in 2...\(config.maxPositions) (max_position_embeddings)")
            }
            maxTokens = limit
        }
        let identity = "\(modelName(folder)) (safetensors, \(config.hiddenSize)d, \(fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })))"
        return SentenceEmbedder(tokenizer: tokenizer, encoder: BertEncoder(config: config, weights: weights, threads: threads),
                                maxTokens: maxTokens, identity: identity)
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

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
    public func embed(_ texts: [String], batchSize: Int = 32) -> [Embedding] {
        let encodings = texts.map { tokenizer.encode($0, maxLength: maxTokens) }
        let order = encodings.indices.sorted { encodings[$0].ids.count > encodings[$1].ids.count }
        var result = [Embedding?](repeating: nil, count: texts.count)
        var start = 0
        while start < order.count {
            let batch = Array(order[start..<min(order.count, start + max(1, batchSize))])
            let vectors = encoder.embed(batch.map { encodings[$0].ids })
            for (index, vector) in zip(batch, vectors) {
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
        let weightsPath = folder + "/model.safetensors"
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw RetrievalError(error.description) }
        let prefix = file.tensor(named: "bert.embeddings.word_embeddings.weight") != nil ? "bert." : ""
        let weights = try BertWeights(config: config, names: .huggingFace(prefix: prefix)) { (name, shape) throws(RetrievalError) in
            do throws(SafetensorsError) { return try file.floats(name, shape: shape) } catch { throw RetrievalError(error.description) }
        }
        let tokenizer = try WordPieceTokenizer(contentsOf: folder + "/tokenizer.json")
        var maxTokens = config.maxPositions
        if let data = FileManager.default.contents(atPath: folder + "/sentence_bert_config.json"),
           let st = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let limit = st["max_seq_length"] as? Int {
            maxTokens = limit
        }
        let identity = "\(modelName(folder)) (safetensors, \(config.hiddenSize)d, \(fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })))"
        return SentenceEmbedder(tokenizer: tokenizer, encoder: BertEncoder(config: config, weights: weights, threads: threads),
                                maxTokens: maxTokens, identity: identity)
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

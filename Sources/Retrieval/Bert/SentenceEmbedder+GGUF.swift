import Foundation
import Runtime

extension SentenceEmbedder {
    /// Loads a llama.cpp `bert` GGUF: shape from `bert.*` metadata, weights by llama.cpp's tensor
    /// names (F32, F16, BF16 or Q8_0, converted to Float), and the vocabulary: WordPiece from
    /// `tokenizer.ggml.tokens` in llama.cpp's "phantom space" form, or, for XLM-RoBERTa
    /// (multilingual-e5, bge-m3, which convert_hf_to_gguf.py also writes as `bert`), the `t5`
    /// SentencePiece Unigram tokenizer with its precompiled charsmap, `<s> … </s>` around it.
    /// The converter already dropped RoBERTa's first pad_token_id + 1 position rows, so positions
    /// count from 0 here; the pooling is `bert.pooling_type` (2: CLS, else mean). GGUF files do
    /// not carry sentence-transformers' `max_seq_length`, so the limit is the context length.
    static func loadGGUF(_ path: String, threads: Int?) throws(RetrievalError) -> SentenceEmbedder {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw RetrievalError(error.description) }
        guard let architecture = file.string("general.architecture"), architecture == "bert" else {
            throw RetrievalError("\(path): error: architecture '\(file.string("general.architecture") ?? "?")' is not a BERT encoder ('bert')")
        }
        guard let tokens = file.strings("tokenizer.ggml.tokens") else {
            throw RetrievalError("\(path): error: no tokenizer.ggml.tokens (not a WordPiece BERT GGUF)")
        }
        if file.string("tokenizer.ggml.model") == "t5" { return try loadUnigramGGUF(file, tokens: tokens, threads: threads) }
        let encoder = try ggufEncoder(file, tokens: tokens, threads: threads)
        let config = encoder.config
        // A special id from the metadata must index the vocabulary; converted with a check, since
        // a UINT32 or INT64 field can hold what `Int32` cannot.
        func special(_ key: String, _ token: String) throws(RetrievalError) -> Int32? {
            guard let value = file.int("tokenizer.ggml.\(key)") else { return tokens.firstIndex(of: token).flatMap { Int32(exactly: $0) } }
            guard let id = Int32(exactly: value), id >= 0, Int(id) < tokens.count else {
                throw RetrievalError("\(path): error: tokenizer.ggml.\(key) is \(value), outside the vocabulary (0..<\(tokens.count))")
            }
            return id
        }
        guard let unknown = try special("unknown_token_id", "[UNK]"), let cls = try special("cls_token_id", "[CLS]"),
              let sep = try special("seperator_token_id", "[SEP]") else {
            throw RetrievalError("\(path): error: the vocabulary lacks [UNK], [CLS] or [SEP]")
        }
        let tokenizer = WordPieceTokenizer(phantomSpaceTokens: tokens, unknownID: unknown, classifierID: cls, separatorID: sep,
                                           paddingID: try special("padding_token_id", "[PAD]") ?? 0)
        try checkTokenizer(tokenizer, against: config, source: path)
        let name = file.string("general.name") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let fingerprint = Self.fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })
        return SentenceEmbedder(tokenizer: .wordPiece(tokenizer), encoder: encoder,
                                maxTokens: config.maxPositions,
                                identity: "\(name) (gguf, \(config.hiddenSize)d, \(fingerprint))",
                                prefixes: try .forModel(folder: nil, name: name))
    }

    /// The encoder's shape and weights from a `bert` GGUF, for a vocabulary of `tokens`.
    static func ggufEncoder(_ file: GGUFFile, tokens: [String], threads: Int?) throws(RetrievalError) -> BertEncoder {
        let typeCount = file.tensor(named: "token_types.weight")?.shape.last ?? 2
        let config = BertConfig(
            vocabularySize: tokens.count, hiddenSize: file.int("bert.embedding_length") ?? 0,
            layerCount: file.int("bert.block_count") ?? 0, headCount: file.int("bert.attention.head_count") ?? 0,
            intermediateSize: file.int("bert.feed_forward_length") ?? 0, maxPositions: file.int("bert.context_length") ?? 0,
            typeVocabularySize: typeCount, layerNormEpsilon: file.float("bert.attention.layer_norm_epsilon") ?? 1e-12)
        try config.validate(source: file.path)
        let weights = try BertWeights(config: config, names: .gguf) { (name, shape) throws(RetrievalError) in
            let values = try Self.ggufFloats(file, name, shape: shape)
            try BertConfig.checkFinite(values, tensor: name, source: file.path)
            return values
        }
        return BertEncoder(config: config, weights: weights, threads: threads)
    }

    /// An XLM-RoBERTa GGUF: the `t5` Unigram vocabulary (`UnigramTokenizer(gguf:)`, llama.cpp's
    /// rules) between `tokenizer.ggml.bos_token_id` and `eos_token_id`.
    static func loadUnigramGGUF(_ file: GGUFFile, tokens: [String], threads: Int?) throws(RetrievalError) -> SentenceEmbedder {
        let path = file.path
        let encoder = try ggufEncoder(file, tokens: tokens, threads: threads)
        let unigram = try UnigramTokenizer(gguf: file)
        let bos = file.int("tokenizer.ggml.bos_token_id") ?? 0, eos = file.int("tokenizer.ggml.eos_token_id") ?? 2
        guard bos >= 0, eos >= 0, bos < tokens.count, eos < tokens.count else {
            throw RetrievalError("\(path): error: tokenizer.ggml.bos_token_id \(bos) or eos_token_id \(eos) is outside the vocabulary of \(tokens.count)")
        }
        let name = file.string("general.name") ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let fingerprint = Self.fingerprint(file.tensors.map { ($0.name, file.data(for: $0)) })
        return SentenceEmbedder(tokenizer: .unigram(unigram, bos: Int32(bos), eos: Int32(eos)), encoder: encoder,
                                maxTokens: encoder.config.maxPositions,
                                identity: "\(name) (gguf, xlm-roberta, \(encoder.config.hiddenSize)d, \(fingerprint))",
                                pooling: file.int("bert.pooling_type") == 2 ? .cls : .mean,
                                prefixes: try .forModel(folder: nil, name: name))
    }

    /// One tensor as Float, its GGUF shape (ne0 first) checked against PyTorch's `shape` reversed.
    static func ggufFloats(_ file: GGUFFile, _ name: String, shape: [Int]) throws(RetrievalError) -> [Float] {
        guard let tensor = file.tensor(named: name) else { throw RetrievalError("\(file.path): error: no tensor named '\(name)'") }
        let expected = Array(shape.reversed())
        // token_types may be stored with fewer rows than the config assumes; accept the prefix.
        guard tensor.shape == expected || (name == "token_types.weight" && tensor.shape.first == expected.first) else {
            throw RetrievalError("\(file.path): error: tensor '\(name)' has shape \(tensor.shape), expected \(expected)")
        }
        let data = file.data(for: tensor)
        let count = tensor.elementCount
        switch tensor.type {
        case .f32:
            return (0..<count).map { data.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        case .f16:
            return (0..<count).map { Float(Float16(bitPattern: data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map { Float(bitPattern: UInt32(data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) << 16) }
        case .q8_0:
            var values = [Float](repeating: 0, count: count)
            for block in 0..<(count / 32) {
                let base = block * 34
                let scale = Float(Float16(bitPattern: data.loadUnaligned(fromByteOffset: base, as: UInt16.self)))
                for j in 0..<32 { values[block * 32 + j] = scale * Float(data.load(fromByteOffset: base + 2 + j, as: Int8.self)) }
            }
            return values
        default:
            throw RetrievalError("\(file.path): error: tensor '\(name)' is \(tensor.type); BERT GGUF weights must be F32, F16, BF16 or Q8_0")
        }
    }
}

import Foundation

/// A model's tokenizer, built from its GGUF metadata, that gives the same token ids as
/// llama.cpp for the same file: byte-level BPE (`gpt2`) with the pre-tokenizer named by
/// `tokenizer.ggml.pre`, or SentencePiece-style (`llama`) with scores and byte fallback.
///
/// `@unchecked Sendable`: the vocabulary is immutable; the mutable encoding state (word cache,
/// scratch buffers, code point table) is only touched under `lock`.
public final class Tokenizer: @unchecked Sendable {
    /// The tokenizer families Baton implements.
    public enum Kind: String, Sendable {
        /// Byte-level BPE (`tokenizer.ggml.model = gpt2`).
        case bpe
        /// SentencePiece-style BPE with scores (`tokenizer.ggml.model = llama`).
        case sentencePiece
    }

    public let kind: Kind
    /// The pre-tokenizer (BPE only).
    public let preTokenizer: PreTokenizer?
    /// Every token's text as stored in the file.
    public let tokens: [String]
    /// Every token's attributes.
    public let attributes: [TokenAttributes]
    public let bos: Int?
    public let eos: Int?
    /// End of turn (`<|im_end|>`, `<|eot_id|>`, ...), from metadata or found by text as llama.cpp does.
    public let eot: Int?
    public let unknown: Int?
    public let padding: Int?
    /// Whether the model wants BOS/EOS added around a prompt (`add_bos_token`, `add_eos_token`).
    public let addBOS: Bool
    public let addEOS: Bool
    /// The tokens that end generation.
    public let endOfGeneration: Set<Int>
    /// Things worth logging about how the tokenizer was built (e.g. the `default` pre-tokenizer
    /// fallback); the caller decides where they go.
    public let warnings: [String]

    let bpe: BPEModel?
    let sentencePiece: SentencePieceModel?
    /// SentencePiece: put a space before text that starts the input or follows a special token.
    let addSpacePrefix: Bool
    /// Tokens matched in text before pre-tokenizing, longest first: (id, bytes, is control/unknown).
    let specialTokens: [(id: Int, bytes: [UInt8], controlOrUnknown: Bool)]
    /// Each token's piece (with special tokens shown), as llama.cpp's token-to-piece cache.
    let pieces: TokenPieces

    let lock = NSLock()
    let state = EncoderState()

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// Builds the tokenizer of a GGUF model.
    public convenience init(file: GGUFFile) throws(RuntimeError) {
        try self.init(metadata: file.metadata, file: file.path)
    }

    /// Builds a tokenizer from GGUF metadata; `file` names the source in errors.
    public init(metadata: [String: GGUFValue], file: String) throws(RuntimeError) {
        func fail(_ message: String) -> RuntimeError { RuntimeError(file: file, message: message) }
        func strings(_ key: String) throws(RuntimeError) -> [String]? {
            guard let value = metadata[key] else { return nil }
            guard let array = value.arrayValue else { throw fail("\(key) must be an array of strings, found \(value.typeName)") }
            var result: [String] = []
            result.reserveCapacity(array.count)
            for element in array {
                guard let s = element.stringValue else { throw fail("\(key) must be an array of strings, found \(value.typeName)") }
                result.append(s)
            }
            return result
        }
        guard let modelValue = metadata["tokenizer.ggml.model"] else {
            throw fail("the model has no tokenizer (tokenizer.ggml.model is missing)")
        }
        guard let model = modelValue.stringValue else { throw fail("tokenizer.ggml.model must be a string, found \(modelValue.typeName)") }
        guard var tokens = try strings("tokenizer.ggml.tokens"), !tokens.isEmpty else {
            throw fail("the model has no tokenizer vocabulary (tokenizer.ggml.tokens is missing)")
        }
        var warnings: [String] = []
        // llama.cpp renames empty token texts so that every token has a distinct, visible text.
        for i in tokens.indices where tokens[i].isEmpty {
            tokens[i] = "[EMPTY_\(i)]"
            warnings.append("empty token at index \(i)")
        }
        var attributes = [TokenAttributes](repeating: .normal, count: tokens.count)
        if let types = metadata["tokenizer.ggml.token_type"] {
            guard let array = types.arrayValue, array.count >= tokens.count else {
                throw fail("tokenizer.ggml.token_type must be an array of \(tokens.count) integers")
            }
            for i in 0..<tokens.count {
                guard let t = array[i].intValue else { throw fail("tokenizer.ggml.token_type must be an array of \(tokens.count) integers") }
                attributes[i] = TokenAttributes(ggufTokenType: t)
            }
        }
        var scores = [Float](repeating: 0, count: tokens.count)
        if let value = metadata["tokenizer.ggml.scores"] {
            guard let array = value.arrayValue, array.count >= tokens.count else {
                throw fail("tokenizer.ggml.scores must be an array of \(tokens.count) numbers")
            }
            for i in 0..<tokens.count {
                guard let s = array[i].floatValue ?? array[i].intValue.map(Float.init) else {
                    throw fail("tokenizer.ggml.scores must be an array of \(tokens.count) numbers")
                }
                scores[i] = s
            }
        }
        func id(_ key: String, default fallback: Int?) -> Int? {
            guard let value = metadata[key]?.intValue else { return fallback.flatMap { $0 < tokens.count ? $0 : nil } }
            if value >= 0 && value < tokens.count { return value }
            warnings.append("\(key) = \(value) is outside the vocabulary; using \(fallback.map(String.init) ?? "none")")
            return fallback
        }
        var addBOS = false, addEOS = false, addSpacePrefix = false
        switch model {
        case "gpt2":
            kind = .bpe
            let preName = metadata["tokenizer.ggml.pre"]?.stringValue
            var pre = PreTokenizer.default
            if let preName {
                if let known = PreTokenizer.named(preName) {
                    pre = known
                } else {
                    warnings.append("unknown pre-tokenizer type '\(preName)'; using 'default'")
                }
            } else {
                warnings.append("missing pre-tokenizer type (tokenizer.ggml.pre); using 'default'")
            }
            preTokenizer = pre
            guard let merges = try strings("tokenizer.ggml.merges") else {
                throw fail("BPE tokenizer has no merges (tokenizer.ggml.merges is missing)")
            }
            let ignoreMerges = pre == .llama3
            addBOS = pre == .llama3
            bpe = BPEModel(tokens: tokens, merges: merges, ignoreMerges: ignoreMerges)
            sentencePiece = nil
            bos = id("tokenizer.ggml.bos_token_id", default: 11)
            eos = id("tokenizer.ggml.eos_token_id", default: 11)
            unknown = id("tokenizer.ggml.unknown_token_id", default: nil)
            padding = id("tokenizer.ggml.padding_token_id", default: nil)
        case "llama":
            kind = .sentencePiece
            preTokenizer = nil
            addBOS = true
            addSpacePrefix = true
            let unk = id("tokenizer.ggml.unknown_token_id", default: 0)
            bpe = nil
            sentencePiece = SentencePieceModel(tokens: tokens, scores: scores, unknown: unk)
            bos = id("tokenizer.ggml.bos_token_id", default: 1)
            eos = id("tokenizer.ggml.eos_token_id", default: 2)
            unknown = unk
            padding = id("tokenizer.ggml.padding_token_id", default: nil)
        default:
            throw fail("unsupported tokenizer '\(model)' (tokenizer.ggml.model), expected gpt2 or llama")
        }
        if let b = metadata["tokenizer.ggml.add_space_prefix"]?.boolValue { addSpacePrefix = b }
        if let b = metadata["tokenizer.ggml.add_bos_token"]?.boolValue { addBOS = b }
        if let b = metadata["tokenizer.ggml.add_eos_token"]?.boolValue { addEOS = b }

        let scan = Tokenizer.scanSpecialTokens(tokens: tokens, attributes: &attributes, eos: eos) { key in
            id(key, default: nil)
        }
        eot = scan.eot
        endOfGeneration = scan.endOfGeneration

        self.tokens = tokens
        self.attributes = attributes
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
        self.warnings = warnings

        var special: [(id: Int, bytes: [UInt8], controlOrUnknown: Bool)] = []
        for (i, a) in attributes.enumerated() where !a.intersection([.control, .userDefined, .unknown]).isEmpty {
            special.append((i, Array(tokens[i].utf8), !a.intersection([.control, .unknown]).isEmpty))
        }
        special.sort { $0.bytes.count > $1.bytes.count || ($0.bytes.count == $1.bytes.count && $0.id < $1.id) }
        specialTokens = special
        pieces = TokenPieces(tokens: tokens, attributes: attributes, kind: kind)
    }

    /// The id of the token whose text is exactly `text`, byte for byte (Swift's `==` on strings
    /// would also match canonically equivalent spellings: `é` and `e` + U+0301). A linear scan,
    /// for occasional lookups such as a chat template's special tokens.
    public func id(of text: String) -> Int? {
        let wanted = Array(text.utf8)
        return tokens.firstIndex { $0.utf8.elementsEqual(wanted) }
    }

    /// The bytes a token prints as; control and unknown tokens print nothing unless `special`.
    public func piece(_ id: Int, special: Bool = false) -> [UInt8] {
        guard id >= 0 && id < pieces.count else { return [] }
        if !special && !attributes[id].intersection([.control, .unknown]).isEmpty { return [] }
        return Array(pieces[id])
    }

    /// The text of a token sequence (invalid UTF-8 shown as U+FFFD).
    public func decode(_ ids: [Int], special: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids { bytes.append(contentsOf: piece(id, special: special)) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether generation should stop at this token (EOS, EOT and the end-of-generation tokens
    /// llama.cpp recognizes by text).
    public func isEndOfGeneration(_ id: Int) -> Bool { endOfGeneration.contains(id) }
}

import Base
import Foundation

/// The ids of one encoded text, with whether it was cut at the model's limit.
public struct TokenEncoding: Sendable, Equatable {
    /// `[CLS] ... [SEP]` token ids.
    public var ids: [Int32]
    /// True when the text had more tokens than the limit allowed and the tail was dropped.
    public var truncated: Bool
}

/// A BERT WordPiece tokenizer read from a `tokenizer.json` (HF `tokenizers` format), giving the same
/// ids as the reference: special tokens matched in the raw text first, then the basic tokenizer,
/// then greedy longest-match-first WordPiece with `##` continuations, a word longer than
/// `maxInputCharsPerWord` scalars or with an unmatchable piece becoming `[UNK]` as a whole.
public struct WordPieceTokenizer: Sendable {
    public let basic: BertBasicTokenizer
    /// Token for each id (for debugging and `baton embed --tokens`).
    public let tokens: [String]
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    public let maxInputCharsPerWord: Int
    /// Tokens the reference matches verbatim in the raw input (`[CLS]`, `[MASK]`, ...), longest first.
    let addedTokens: [(scalars: [UInt32], id: Int32)]
    /// Word-initial pieces by scalar values (not `String`, whose equality is canonical equivalence).
    let initial: [[UInt32]: Int32]
    /// Continuation pieces (`##` removed) by scalar values.
    let continuation: [[UInt32]: Int32]

    /// Reads a `tokenizer.json` whose model is WordPiece and whose normalizer is a BertNormalizer.
    public init(contentsOf path: String) throws(RetrievalError) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RetrievalError("\(path): error: cannot read tokenizer: \(SystemErrorText.describe(error))")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let model = root["model"] as? [String: Any] else {
            throw RetrievalError("\(path): error: not a tokenizer.json (no \"model\" object)")
        }
        guard model["type"] as? String == "WordPiece", let vocab = model["vocab"] as? [String: Any] else {
            throw RetrievalError("\(path): error: tokenizer model is '\(model["type"] as? String ?? "?")', expected WordPiece")
        }
        let normalizer = root["normalizer"] as? [String: Any] ?? [:]
        let lowercase = normalizer["lowercase"] as? Bool ?? true
        basic = BertBasicTokenizer(
            cleanText: normalizer["clean_text"] as? Bool ?? true,
            handleChineseChars: normalizer["handle_chinese_chars"] as? Bool ?? true,
            stripAccents: normalizer["strip_accents"] as? Bool ?? lowercase,
            lowercase: lowercase)
        let prefix = Array((model["continuing_subword_prefix"] as? String ?? "##").unicodeScalars.map(\.value))
        maxInputCharsPerWord = model["max_input_chars_per_word"] as? Int ?? 100
        var initial: [[UInt32]: Int32] = [:]
        var continuation: [[UInt32]: Int32] = [:]
        var tokens = [String](repeating: "", count: vocab.count)
        for (token, value) in vocab {
            guard let id = value as? Int, id >= 0, id < vocab.count else {
                throw RetrievalError("\(path): error: vocabulary id of '\(token)' is not in 0..<\(vocab.count)")
            }
            tokens[id] = token
            let scalars = token.unicodeScalars.map(\.value)
            if scalars.count > prefix.count, Array(scalars.prefix(prefix.count)) == prefix {
                continuation[Array(scalars.dropFirst(prefix.count))] = Int32(id)
            }
            initial[scalars] = Int32(id)
        }
        func id(_ token: String) throws(RetrievalError) -> Int32 {
            guard let id = initial[token.unicodeScalars.map(\.value)] else {
                throw RetrievalError("\(path): error: vocabulary has no '\(token)' token")
            }
            return id
        }
        unknownID = try id(model["unk_token"] as? String ?? "[UNK]")
        classifierID = try id("[CLS]")
        separatorID = try id("[SEP]")
        paddingID = (try? id("[PAD]")) ?? 0
        var added: [([UInt32], Int32)] = []
        for entry in root["added_tokens"] as? [[String: Any]] ?? [] {
            guard let content = entry["content"] as? String, let id = entry["id"] as? Int, !content.isEmpty else { continue }
            // An id beyond the vocabulary would index past the embedding table.
            guard id >= 0, id < vocab.count else {
                throw RetrievalError("\(path): error: added token '\(content)' has id \(id), outside the vocabulary (0..<\(vocab.count))")
            }
            added.append((content.unicodeScalars.map(\.value), Int32(id)))
        }
        addedTokens = added.sorted { $0.0.count > $1.0.count }
        self.tokens = tokens
        self.initial = initial
        self.continuation = continuation
    }

    /// A tokenizer from llama.cpp's GGUF vocabulary ("phantom space": word-initial pieces start
    /// with U+2581, continuations have no `##`; `[...]` tokens are special), with BERT's uncased
    /// basic tokenizer (what llama.cpp applies to `bert` models).
    public init(phantomSpaceTokens vocabulary: [String], unknownID: Int32, classifierID: Int32, separatorID: Int32, paddingID: Int32) {
        basic = BertBasicTokenizer()
        maxInputCharsPerWord = 100
        var initial: [[UInt32]: Int32] = [:]
        var continuation: [[UInt32]: Int32] = [:]
        var tokens: [String] = []
        var added: [([UInt32], Int32)] = []
        for (id, token) in vocabulary.enumerated() {
            let scalars = token.unicodeScalars.map(\.value)
            if token.hasPrefix("[") && token.hasSuffix("]") && token.count > 2 {
                initial[scalars] = Int32(id)
                added.append((scalars, Int32(id)))
                tokens.append(token)
            } else if scalars.first == 0x2581 {
                initial[Array(scalars.dropFirst())] = Int32(id)
                tokens.append(String(token.unicodeScalars.dropFirst()))
            } else {
                continuation[scalars] = Int32(id)
                tokens.append("##" + token)
            }
        }
        self.tokens = tokens
        self.initial = initial
        self.continuation = continuation
        self.unknownID = unknownID
        self.classifierID = classifierID
        self.separatorID = separatorID
        self.paddingID = paddingID
        addedTokens = added.filter { ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"].contains(String(String.UnicodeScalarView($0.0.compactMap(Unicode.Scalar.init)))) }
            .sorted { $0.0.count > $1.0.count }
    }

    /// Encodes one text as `[CLS] pieces [SEP]`, keeping at most `maxLength` ids in all (nil: no limit).
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenEncoding {
        var ids: [Int32] = [classifierID]
        for segment in splitAddedTokens(text) {
            switch segment {
            case .added(let id): ids.append(id)
            case .text(let part):
                for word in basic.words(part) { appendPieces(of: word, to: &ids) }
            }
        }
        var truncated = false
        if let maxLength, ids.count + 1 > maxLength {
            ids.removeLast(ids.count + 1 - max(maxLength, 2))
            truncated = true
        }
        ids.append(separatorID)
        return TokenEncoding(ids: ids, truncated: truncated)
    }

    /// Greedy longest-match-first WordPiece of one word.
    func appendPieces(of word: [UInt32], to ids: inout [Int32]) {
        if word.count > maxInputCharsPerWord { ids.append(unknownID); return }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                let piece = Array(word[start..<end])
                if let id = start == 0 ? initial[piece] : continuation[piece] { found = id; break }
                end -= 1
            }
            guard let found else { ids.append(unknownID); return }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    enum Segment { case text(String), added(Int32) }

    /// Splits the raw text around verbatim occurrences of added tokens (`normalized: false` in the reference).
    func splitAddedTokens(_ text: String) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        guard !addedTokens.isEmpty, scalars.contains("[") || addedTokens.contains(where: { $0.scalars.first != 0x5B }) else {
            return [.text(text)]
        }
        var segments: [Segment] = []
        var pending = String.UnicodeScalarView()
        var index = 0
        outer: while index < scalars.count {
            for (tokenScalars, id) in addedTokens where index + tokenScalars.count <= scalars.count {
                if zip(tokenScalars, scalars[index...]).allSatisfy({ $0 == $1.value }) {
                    if !pending.isEmpty { segments.append(.text(String(pending))); pending = String.UnicodeScalarView() }
                    segments.append(.added(id))
                    index += tokenScalars.count
                    continue outer
                }
            }
            pending.append(scalars[index])
            index += 1
        }
        if !pending.isEmpty { segments.append(.text(String(pending))) }
        return segments
    }
}

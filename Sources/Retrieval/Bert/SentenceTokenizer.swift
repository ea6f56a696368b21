/// How a sentence embedder turns a text into the ids its encoder reads: BERT's WordPiece
/// (`[CLS] … [SEP]`) or XLM-RoBERTa's SentencePiece Unigram (`<s> … </s>`, multilingual-e5,
/// bge-m3). One enum rather than a protocol: the embedder is a value type that tests compare,
/// and these are the two vocabularies sentence-transformers folders use.
public enum SentenceTokenizer: Sendable {
    case wordPiece(WordPieceTokenizer)
    /// Unigram pieces between the `bos` and `eos` ids (`config.json`'s `bos_token_id`, `eos_token_id`).
    case unigram(UnigramTokenizer, bos: Int32, eos: Int32)

    /// `text` with its start and end tokens, at most `maxLength` ids in all (nil: no limit); a
    /// truncated text keeps its end token, as the HF tokenizers do.
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenEncoding {
        switch self {
        case .wordPiece(let tokenizer):
            return tokenizer.encode(text, maxLength: maxLength)
        case .unigram(let tokenizer, let bos, let eos):
            let body = tokenizer.encode(text).map(Int32.init)
            let room = maxLength.map { max(0, $0 - 2) } ?? body.count
            return TokenEncoding(ids: [bos] + body.prefix(room) + [eos], truncated: body.count > room)
        }
    }

    /// The id of the unknown token (`[UNK]`, `<unk>`).
    public var unknownID: Int32 {
        switch self {
        case .wordPiece(let tokenizer): return tokenizer.unknownID
        case .unigram(let tokenizer, _, _): return Int32(tokenizer.unknownID)
        }
    }
}

import Base
import Foundation
import FuzzDriver
@testable import Retrieval

/// The sentence embedder (WordPiece tokenizer + BERT encoder), two ways by the input's first bytes:
///
/// - `GGUF...`: the input is a BERT GGUF file (written to a scratch file and loaded as
///   `baton ingest --embedding-model` loads one: `bert.*` metadata, tensors by llama.cpp's names
///   in F32/F16/BF16/Q8_0, the phantom-space vocabulary and its special ids), which then embeds two
///   sentences. Seeds: two tiny random models (`Fuzz/Corpus/make_bert_seeds.py`).
/// - anything else: UTF-8 text (decoded leniently, NUL-separated into a batch) embedded by a tiny
///   random BERT built in memory (2 layers, 32 wide, 32 positions), so the tokenizer, truncation
///   at the position limit, packed batches and every kernel of the forward pass see it; and the
///   tokenizer alone with a `maxLength` of 0 to 40 taken from the first byte.
///
/// A vector, or a `RetrievalError` naming the file's problem; never a trap or a read out of bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBert(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if bytes.starts(with: Array("GGUF".utf8)) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-fuzz-bert-\(getpid()).gguf")
        guard (try? Data(bytes).write(to: path)) != nil else { return 0 }
        if let embedder = try? SentenceEmbedder(path: path.path, threads: 1) {
            _ = try? embedder.embed(["안녕하세요, Baton! unaffable 東京", "a"])
        }
        return 0
    }
    guard let first = bytes.first else { return 0 }
    let texts = bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: false).prefix(8).map { String(decoding: $0, as: UTF8.self) }
    guard let embedder = TinyBert.embedder else { return 0 }
    for text in texts { _ = embedder.tokenizer.encode(text, maxLength: Int(first % 41)) }
    _ = try? embedder.embed(texts, batchSize: 1 + Int(first % 4))
    return 0
}

/// A 2-layer BERT with seeded random weights over a small vocabulary of Latin letters, a few
/// words, Hangul and CJK pieces: made once per process.
enum TinyBert {
    static let vocabulary: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        + "abcdefghijklmnopqrstuvwxyz0123456789".map { "\u{2581}\($0)" }
        + "abcdefghijklmnopqrstuvwxyz".map { String($0) }
        + ["\u{2581}baton", "\u{2581}hello", "able", "un", "\u{2581}un", "aff", "\u{2581}안녕", "하세요", "\u{2581}東", "京", "\u{2581},", "\u{2581}!", "\u{2581}."]

    /// `nil` only if the weights did not fit the configuration (a bug of this target; the
    /// seeds' coverage shows it at once).
    static let embedder: SentenceEmbedder? = {
        let config = BertConfig(vocabularySize: vocabulary.count, hiddenSize: 32, layerCount: 2, headCount: 2,
                                intermediateSize: 64, maxPositions: 32, typeVocabularySize: 2, layerNormEpsilon: 1e-12)
        var random = SeededGenerator(seed: 0x9E37_79B9_7F4A_7C15)
        guard let weights = try? BertWeights(config: config, names: .gguf, read: { (_: String, shape: [Int]) throws(RetrievalError) -> [Float] in
            // Uniform in [-0.25, 0.25).
            (0..<shape.reduce(1, *)).map { _ in Float(random.next() >> 40) / Float(1 << 24) * 0.5 - 0.25 }
        }) else { return nil }
        let tokenizer = WordPieceTokenizer(phantomSpaceTokens: vocabulary, unknownID: 1, classifierID: 2, separatorID: 3, paddingID: 0)
        return SentenceEmbedder(tokenizer: .wordPiece(tokenizer), encoder: BertEncoder(config: config, weights: weights, threads: 1),
                                maxTokens: config.maxPositions, identity: "fuzz-tiny-bert")
    }()
}

@_cdecl("FuzzBert_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzBert)
}

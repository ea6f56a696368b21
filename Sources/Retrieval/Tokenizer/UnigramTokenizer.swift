import Foundation

/// A SentencePiece Unigram tokenizer read from a Hugging Face `tokenizer.json` (XLM-RoBERTa,
/// multilingual-e5, bge-m3), giving the ids HF `tokenizers` gives (without special tokens):
///
/// 1. normalizer: `Precompiled` (SentencePiece's charsmap, `PrecompiledCharsmap`), `Replace`
///    (a literal string or a regex), or a `Sequence` of them;
/// 2. pre-tokenizer `Metaspace`: spaces become `▁`, one is prepended (`prepend_scheme`
///    `always`, or `first`), and with `split` the text is cut before every `▁`;
/// 3. model `Unigram`: per word, the segmentation with the highest sum of piece scores
///    (Viterbi over every vocabulary piece that matches at each byte position); a character no
///    piece covers is `unk_id` with the lowest score minus 10, and adjacent unknowns fuse.
///
/// Anything else in the file (another model type, normalizer or pre-tokenizer) is refused with
/// an error naming the file and the JSON key.
public struct UnigramTokenizer: Sendable {
    /// A normalization step.
    enum Normalizer: Sendable {
        case precompiled(PrecompiledCharsmap)
        case replaceString(String, String)
        case replaceRegex(NSRegularExpressionBox, String)
    }

    /// `NSRegularExpression` is immutable after creation and documented thread-safe.
    struct NSRegularExpressionBox: @unchecked Sendable { let regex: NSRegularExpression }

    let normalizers: [Normalizer]
    let replacement: Character
    let prependAlways: Bool
    let split: Bool
    public let pieces: [String]
    let scores: [Double]
    /// Which pieces the lattice may use (all from tokenizer.json; GGUF skips control tokens).
    let matchable: [Bool]
    let unknownID: Int
    let unknownScore: Double
    /// llama.cpp's rules when read from GGUF (`UnigramTokenizer+GGUF.swift`), nil for HF's.
    let ugm: UGMRules?
    /// Piece ids by their first UTF-8 byte: the candidates at a position (every match is a node).
    private let byFirstByte: [[Int]]

    /// Reads `data`, the contents of `source` (named in errors).
    public init(tokenizerJSON data: Data, source: String) throws(RetrievalError) {
        func fail(_ message: String) -> RetrievalError { RetrievalError("\(source): error: \(message)") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw fail("not a JSON object") }
        guard let model = root["model"] as? [String: Any], model["type"] as? String == "Unigram" else {
            throw fail("model.type is \((root["model"] as? [String: Any])?["type"] ?? "missing"), expected Unigram")
        }
        guard let vocab = model["vocab"] as? [[Any]], !vocab.isEmpty else { throw fail("model.vocab is missing or empty") }
        var pieces: [String] = [], scores: [Double] = []
        for (index, entry) in vocab.enumerated() {
            guard entry.count == 2, let piece = entry[0] as? String, let score = (entry[1] as? NSNumber)?.doubleValue else {
                throw fail("model.vocab[\(index)] is not a [piece, score] pair")
            }
            pieces.append(piece)
            scores.append(score)
        }
        if (model["byte_fallback"] as? Bool) == true { throw fail("model.byte_fallback is not supported") }
        guard let unknown = model["unk_id"] as? Int, unknown >= 0, unknown < pieces.count else { throw fail("model.unk_id is missing or out of range") }
        self.pieces = pieces
        self.scores = scores
        matchable = [Bool](repeating: true, count: pieces.count)
        unknownID = unknown
        unknownScore = (scores.min() ?? 0) - 10
        ugm = nil

        var normalizers: [Normalizer] = []
        func normalizer(_ object: [String: Any], _ path: String) throws(RetrievalError) {
            switch object["type"] as? String {
            case "Sequence":
                for (i, item) in ((object["normalizers"] as? [[String: Any]]) ?? []).enumerated() { try normalizer(item, "\(path).normalizers[\(i)]") }
            case "Precompiled":
                guard let text = object["precompiled_charsmap"] as? String, let blob = Data(base64Encoded: text) else {
                    throw fail("\(path).precompiled_charsmap is not base64")
                }
                normalizers.append(.precompiled(try PrecompiledCharsmap([UInt8](blob), source: source)))
            case "Replace":
                let pattern = object["pattern"] as? [String: Any], content = object["content"] as? String ?? ""
                if let literal = pattern?["String"] as? String {
                    normalizers.append(.replaceString(literal, content))
                } else if let expression = pattern?["Regex"] as? String, let regex = try? NSRegularExpression(pattern: expression) {
                    normalizers.append(.replaceRegex(NSRegularExpressionBox(regex: regex), content))
                } else {
                    throw fail("\(path).pattern is neither a String nor a valid Regex")
                }
            case let other:
                throw fail("\(path).type \(other ?? "missing") is not supported (Sequence, Precompiled, Replace)")
            }
        }
        if let object = root["normalizer"] as? [String: Any] { try normalizer(object, "normalizer") }
        self.normalizers = normalizers

        guard let pre = root["pre_tokenizer"] as? [String: Any], pre["type"] as? String == "Metaspace" else {
            throw fail("pre_tokenizer.type is \((root["pre_tokenizer"] as? [String: Any])?["type"] ?? "missing"), expected Metaspace")
        }
        guard let replacement = (pre["replacement"] as? String)?.first else { throw fail("pre_tokenizer.replacement is missing") }
        self.replacement = replacement
        let scheme = pre["prepend_scheme"] as? String ?? ((pre["add_prefix_space"] as? Bool) == false ? "never" : "always")
        guard scheme == "always" || scheme == "first" || scheme == "never" else { throw fail("pre_tokenizer.prepend_scheme \(scheme) is not supported") }
        prependAlways = scheme != "never"
        split = pre["split"] as? Bool ?? true

        byFirstByte = Self.index(pieces)
    }

    /// A GGUF vocabulary with llama.cpp's rules (no HF normalizers or pre-tokenizer).
    init(pieces: [String], scores: [Double], matchable: [Bool], unknownID: Int, unknownScore: Double, ugm: UGMRules) {
        self.pieces = pieces
        self.scores = scores
        self.matchable = matchable
        self.unknownID = unknownID
        self.unknownScore = unknownScore
        self.ugm = ugm
        normalizers = []
        replacement = "▁"
        prependAlways = true
        split = false
        byFirstByte = Self.index(pieces)
    }

    static func index(_ pieces: [String]) -> [[Int]] {
        var byFirstByte = [[Int]](repeating: [], count: 256)
        for (id, piece) in pieces.enumerated() {
            if let first = piece.utf8.first { byFirstByte[Int(first)].append(id) }
        }
        return byFirstByte
    }

    /// The pieces whose first byte is `byte`.
    func candidates(startingWith byte: UInt8) -> [Int] { byFirstByte[Int(byte)] }

    /// `text` after the normalizers.
    public func normalize(_ text: String) -> String {
        normalizers.reduce(text) { text, step in
            switch step {
            case .precompiled(let map): return map.normalize(text)
            case .replaceString(let pattern, let content): return text.replacingOccurrences(of: pattern, with: content)
            case .replaceRegex(let box, let content):
                let range = NSRange(text.startIndex..., in: text)
                return box.regex.stringByReplacingMatches(in: text, range: range, withTemplate: NSRegularExpression.escapedTemplate(for: content))
            }
        }
    }

    /// The words `Metaspace` cuts the normalized text into.
    func words(_ normalized: String) -> [String] {
        // Nothing to prepend to: HF gives no tokens for empty text.
        guard !normalized.isEmpty else { return [] }
        var text = String(normalized.map { $0 == " " ? replacement : $0 })
        if prependAlways, !text.hasPrefix(String(replacement)) { text = String(replacement) + text }
        guard split else { return text.isEmpty ? [] : [text] }
        var words: [String] = [], current = ""
        for character in text {
            if character == replacement, !current.isEmpty { words.append(current); current = "" }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The ids of `text` (no special tokens added).
    public func encode(_ text: String) -> [Int] {
        if let ugm { return segmentWhole(ugm.normalize(text)) }
        return words(normalize(text)).flatMap(segment)
    }

    /// The best segmentation of one word (HF's lattice Viterbi: for each node, the best node
    /// ending where it starts, the first in insertion order on ties; unknown runs fused).
    func segment(_ word: String) -> [Int] {
        let bytes = Array(word.utf8)
        let n = bytes.count
        // Nodes: (start, length, id, score), inserted by start position, then piece order.
        var starts: [Int] = [], lengths: [Int] = [], ids: [Int] = [], nodeScores: [Double] = []
        var endingAt = [[Int]](repeating: [], count: n + 1)
        var position = 0
        while position < n {
            let characterLength = Self.utf8Length(bytes[position])
            var single = false
            for id in byFirstByte[Int(bytes[position])] {
                let piece = pieces[id].utf8
                guard piece.count <= n - position, bytes[position..<position + piece.count].elementsEqual(piece) else { continue }
                starts.append(position); lengths.append(piece.count); ids.append(id); nodeScores.append(scores[id])
                endingAt[position + piece.count].append(ids.count - 1)
                if piece.count == characterLength { single = true }
            }
            if !single {
                let length = min(characterLength, n - position)
                starts.append(position); lengths.append(length); ids.append(unknownID); nodeScores.append(unknownScore)
                endingAt[position + length].append(ids.count - 1)
            }
            position += characterLength
        }
        // Best path score to the end of each node, and its predecessor.
        var best = [Double](repeating: 0, count: ids.count), previous = [Int](repeating: -1, count: ids.count)
        for node in 0..<ids.count {
            var bestScore = 0.0, bestNode = -1
            if starts[node] > 0 {
                for left in endingAt[starts[node]] where bestNode < 0 || best[left] + nodeScores[node] > bestScore {
                    bestScore = best[left] + nodeScores[node]
                    bestNode = left
                }
                if bestNode < 0 { best[node] = -.infinity; continue }
            } else {
                bestScore = nodeScores[node]
            }
            best[node] = bestScore
            previous[node] = bestNode
        }
        // `max(by:)` keeps the first of equal maxima, as HF's strict comparison does.
        guard var node = endingAt[n].max(by: { best[$0] < best[$1] }) else { return [] }
        var path: [Int] = []
        while node >= 0 { path.append(ids[node]); node = previous[node] }
        path.reverse()
        // HF's fuse_unk: adjacent unknown pieces become one.
        var fused: [Int] = []
        for id in path where !(id == unknownID && fused.last == unknownID) { fused.append(id) }
        return fused
    }

    static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}

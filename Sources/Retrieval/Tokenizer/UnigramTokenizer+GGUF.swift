import Foundation
import Runtime

/// The same vocabulary as GGUF stores it for llama.cpp (`tokenizer.ggml.model = t5`, its UGM
/// tokenizer), with llama.cpp's rules, which differ from HF's in three places: the charsmap
/// takes the longest match at each byte position (not the shortest per grapheme); spaces are
/// escaped to `▁` while normalizing (one prepended with `add_space_prefix`, runs merged with
/// `remove_extra_whitespaces`); and the Viterbi runs over the whole text, not per word.
struct UGMRules: Sendable {
    let charsmap: PrecompiledCharsmap?
    let addSpacePrefix: Bool
    let mergeSpaces: Bool
    /// User-defined tokens, matched before the charsmap and kept as they are.
    let userDefined: [[UInt8]]

    /// llama.cpp's `llm_tokenizer_ugm_session::normalize`.
    func normalize(_ text: String) -> [UInt8] {
        let input = Array(text.utf8), space = Array("▁".utf8)
        var output: [UInt8] = []
        var prepended = false, inWord = false
        var offset = 0
        while offset < input.count {
            let piece: ArraySlice<UInt8>, consumed: Int
            if let user = userDefined.filter({ input[offset...].starts(with: $0) }).max(by: { $0.count < $1.count }) {
                piece = input[offset..<offset + user.count]; consumed = user.count
            } else if let match = charsmap?.longestMatch(input, from: offset), let replaced = charsmap?.replacement(at: match.offset) {
                piece = ArraySlice(Array(replaced.utf8)); consumed = match.length
            } else {
                let length = min(UnigramTokenizer.utf8Length(input[offset]), input.count - offset)
                piece = input[offset..<offset + length]; consumed = length
            }
            for byte in piece {
                if byte != UInt8(ascii: " ") {
                    if !inWord {
                        inWord = true
                        if (addSpacePrefix && !prepended) || mergeSpaces { output += space; prepended = true }
                    }
                    output.append(byte)
                } else {
                    inWord = false
                    if !mergeSpaces { output += space }
                }
            }
            offset += consumed
        }
        return output
    }
}

extension UnigramTokenizer {
    /// Reads the `t5` (UGM) tokenizer of a GGUF file: `tokenizer.ggml.tokens`, `scores`,
    /// `token_type`, `precompiled_charsmap`, `add_space_prefix`, `remove_extra_whitespaces`
    /// and `unknown_token_id`. Encoding then follows llama.cpp (`UGMRules`).
    public init(gguf file: GGUFFile) throws(RetrievalError) {
        func fail(_ message: String) -> RetrievalError { RetrievalError("\(file.path): error: \(message)") }
        guard file.string("tokenizer.ggml.model") == "t5" else {
            throw fail("tokenizer.ggml.model is \(file.string("tokenizer.ggml.model") ?? "missing"), expected t5 (a SentencePiece Unigram vocabulary)")
        }
        guard let tokens = file.strings("tokenizer.ggml.tokens"), !tokens.isEmpty else { throw fail("tokenizer.ggml.tokens is missing") }
        guard let scores = file.floats("tokenizer.ggml.scores"), scores.count == tokens.count else {
            throw fail("tokenizer.ggml.scores is missing or has not one score per token")
        }
        let types = file.ints("tokenizer.ggml.token_type") ?? [Int](repeating: 1, count: tokens.count)
        guard types.count == tokens.count else { throw fail("tokenizer.ggml.token_type has \(types.count) entries for \(tokens.count) tokens") }
        let unknown = file.int("tokenizer.ggml.unknown_token_id") ?? 0
        guard unknown >= 0, unknown < tokens.count else { throw fail("tokenizer.ggml.unknown_token_id \(unknown) is out of range") }
        var charsmap: PrecompiledCharsmap?
        if let bytes = file.ints("tokenizer.ggml.precompiled_charsmap"), !bytes.isEmpty {
            charsmap = try PrecompiledCharsmap(bytes.map { UInt8(truncatingIfNeeded: $0) }, source: file.path)
        }
        // Normal (1), user-defined (4) and unused (5) tokens can be matched; user-defined score 0.
        let matchable = types.map { $0 == 1 || $0 == 4 || $0 == 5 }
        let normalScores = zip(scores, types).filter { $0.1 == 1 }.map { Double($0.0) }
        let rules = UGMRules(charsmap: charsmap, addSpacePrefix: file.bool("tokenizer.ggml.add_space_prefix") ?? true,
                             mergeSpaces: file.bool("tokenizer.ggml.remove_extra_whitespaces") ?? false,
                             userDefined: tokens.indices.filter { types[$0] == 4 }.map { Array(tokens[$0].utf8) })
        self.init(pieces: tokens, scores: zip(scores, types).map { $1 == 4 ? 0 : Double($0) }, matchable: matchable,
                  unknownID: unknown, unknownScore: (normalScores.min() ?? 0) - 10, ugm: rules)
    }

    /// llama.cpp's UGM Viterbi over the whole normalized text: the best score reaching each
    /// byte position (ties keep the earlier path), an unknown where no piece covers a character,
    /// adjacent unknowns fused.
    func segmentWhole(_ bytes: [UInt8]) -> [Int] {
        let n = bytes.count
        guard n > 0 else { return [] }
        var bestScore = [Double](repeating: -.greatestFiniteMagnitude, count: n + 1)
        var bestToken = [Int](repeating: unknownID, count: n + 1), bestStart = [Int](repeating: 0, count: n + 1)
        bestScore[0] = 0
        var position = 0
        while position < n {
            let characterLength = min(Self.utf8Length(bytes[position]), n - position)
            var single = false
            for id in candidates(startingWith: bytes[position]) where matchable[id] {
                let piece = pieces[id].utf8
                guard piece.count <= n - position, bytes[position..<position + piece.count].elementsEqual(piece) else { continue }
                if piece.count == characterLength { single = true }
                let score = bestScore[position] + scores[id], end = position + piece.count
                if score > bestScore[end] { bestScore[end] = score; bestToken[end] = id; bestStart[end] = position }
            }
            if !single {
                let score = bestScore[position] + unknownScore, end = position + characterLength
                if score > bestScore[end] { bestScore[end] = score; bestToken[end] = unknownID; bestStart[end] = position }
            }
            position += characterLength
        }
        var path: [Int] = []
        var end = n, previousUnknown = false
        while true {
            let unknown = bestToken[end] == unknownID
            if !(previousUnknown && unknown) { path.append(bestToken[end]) }
            if bestStart[end] == 0 { break }
            previousUnknown = unknown
            end = bestStart[end]
        }
        return path.reversed()
    }
}

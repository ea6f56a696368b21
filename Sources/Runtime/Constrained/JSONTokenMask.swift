import Template

/// Restricts the logits to tokens that keep the output a valid beginning of a JSON object (or of
/// a value of a `JSONShape`), and to the end-of-sequence token once it is closed.
///
/// Tokens are tried from the most likely down and the first `keep` valid ones survive: enough
/// for greedy decoding and for the sampler's top-k, without testing the whole vocabulary.
/// (Only when fewer than `keep` of the best `8·keep` tokens are valid does the mask fall back to
/// the whole vocabulary in logit order: then any valid token, however unlikely, is found.)
struct JSONTokenMask {
    private let pieces: [[UInt8]]
    private let endTokens: Set<Int>
    private(set) var validator: JSONGrammar
    private var masked: [Float]
    private var order: [Int]
    let keep: Int

    init(pieces: [[UInt8]], endTokens: Set<Int>, keep: Int = 64, shape: JSONShape? = nil) {
        validator = JSONGrammar(shape: shape)
        self.pieces = pieces
        self.endTokens = endTokens
        self.keep = keep
        masked = [Float](repeating: -.infinity, count: pieces.count)
        order = Array(pieces.indices)
    }

    /// The logits with every token that would break the JSON set to -infinity.
    mutating func apply(_ logits: UnsafeBufferPointer<Float>) -> [Float] {
        for i in masked.indices { masked[i] = -.infinity }
        if validator.isComplete {
            if let end = endTokens.min(), end < masked.count { masked[end] = 0 }
            return masked
        }
        let count = min(logits.count, pieces.count)
        // Most steps find `keep` valid tokens among the few hundred best, so those are selected
        // in one pass (a bounded heap) instead of sorting the whole vocabulary each token.
        var found = test(TopIndices.largest(count, limit: 8 * keep, score: { logits[$0] }), logits)
        if found < keep {
            order.sort { $0 < count && $1 < count ? logits[$0] > logits[$1] : $0 < $1 }
            for i in masked.indices { masked[i] = -.infinity }
            found = test(order.lazy.filter { $0 < count }, logits)
        }
        return masked
    }

    /// Tries `candidates` in order, unmasking the first `keep` valid ones; returns how many.
    private mutating func test<C: Sequence>(_ candidates: C, _ logits: UnsafeBufferPointer<Float>) -> Int where C.Element == Int {
        var found = 0
        for id in candidates where found < keep {
            let piece = pieces[id]
            guard !piece.isEmpty else { continue }
            var trial = validator
            if trial.feed(piece) {
                masked[id] = logits[id]
                found += 1
            }
        }
        return found
    }


    /// Records the chosen token.
    mutating func accept(_ token: Int) {
        guard token < pieces.count else { return }
        _ = validator.feed(pieces[token])
    }
}

/// The grammar a `JSONTokenMask` enforces: any JSON object, or a value of a given shape.
enum JSONGrammar: Sendable, Equatable {
    case anyObject(JSONPrefixValidator)
    case shape(JSONShapeValidator)

    init(shape: JSONShape?) {
        self = shape.map { .shape(JSONShapeValidator(shape: $0)) } ?? .anyObject(JSONPrefixValidator())
    }

    var isComplete: Bool {
        switch self {
        case .anyObject(let validator): return validator.isComplete
        case .shape(let validator): return validator.isComplete
        }
    }

    /// Feeds `bytes`; false when they cannot continue the grammar.
    mutating func feed(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .anyObject(var validator):
            let accepted = validator.feed(bytes)
            self = .anyObject(validator)
            return accepted
        case .shape(var validator):
            let accepted = validator.feed(bytes)
            self = .shape(validator)
            return accepted
        }
    }

    /// Text that closes what is open (output cut off by the token limit).
    func closingSuffix() -> String {
        switch self {
        case .anyObject(let validator): return validator.closingSuffix()
        case .shape(let validator): return validator.closingSuffix()
        }
    }
}

import Base
import Foundation

/// The sampler chain: penalties, then top-k, top-p, min-p and temperature, then a seeded draw
/// (llama.cpp's default order). Temperature 0 takes the most likely token after penalties.
///
/// Holds its candidate and count buffers, allocated once for the vocabulary, so sampling a
/// token allocates nothing.
public struct Sampler: Sendable {
    public let parameters: SamplingParameters
    private var generator: SeededGenerator
    /// Candidate (token, logit or probability) pairs, reused for every token.
    private var candidates: [(id: Int, value: Float)]
    /// Occurrences per token in the penalty window (zero between calls).
    private var counts: [Int32]

    public init(parameters: SamplingParameters, vocabularySize: Int) {
        self.parameters = parameters
        generator = SeededGenerator(seed: parameters.seed)
        candidates = []
        candidates.reserveCapacity(vocabularySize)
        counts = Array(repeating: 0, count: vocabularySize)
    }

    /// Chooses the next token from `logits`, penalizing tokens of `history` (most recent last).
    public mutating func sample(_ logits: UnsafeBufferPointer<Float>, history: [Int] = []) -> Int {
        let p = parameters
        if p.temperature <= 0 && !penalizes(history) {
            // The most likely token straight from the logits (the first of equal ones, as
            // below): copying 262,144 candidates first cost Gemma 3 about 2% of a decode step.
            var best = 0
            for i in logits.indices where logits[i] > logits[best] { best = i }
            return best
        }
        candidates.removeAll(keepingCapacity: true)
        for (id, logit) in logits.enumerated() { candidates.append((id, logit)) }
        applyPenalties(history)
        if p.temperature <= 0 {
            var best = 0
            for i in candidates.indices where candidates[i].value > candidates[best].value { best = i }
            return candidates[best].id
        }
        // Top-k (sorting only what is kept), then probabilities of the survivors.
        let k = p.topK > 0 ? min(p.topK, candidates.count) : candidates.count
        if k < candidates.count {
            selectLargest(k)
            candidates.removeLast(candidates.count - k)
        }
        sortDescending()
        softmax()
        // Top-p: the smallest prefix whose probability mass reaches topP.
        if p.topP < 1 {
            var mass: Float = 0
            var keep = candidates.count
            for (i, candidate) in candidates.enumerated() {
                mass += candidate.value
                if mass >= p.topP { keep = i + 1; break }
            }
            candidates.removeLast(candidates.count - keep)
        }
        // Min-p: relative to the most likely token.
        if p.minP > 0, let top = candidates.first?.value {
            let threshold = top * p.minP
            let keep = max(1, candidates.firstIndex { $0.value < threshold } ?? candidates.count)
            candidates.removeLast(candidates.count - keep)
        }
        // Temperature on the survivors: p^(1/T) renormalized equals softmax(logit / T).
        for i in candidates.indices { candidates[i].value = powf(candidates[i].value, 1 / p.temperature) }
        var total: Double = 0
        for candidate in candidates { total += Double(candidate.value) }
        var draw = generator.unit() * total
        for candidate in candidates {
            draw -= Double(candidate.value)
            if draw < 0 { return candidate.id }
        }
        return candidates.last?.id ?? 0
    }

    /// Whether any penalty changes a logit for `history`.
    private func penalizes(_ history: [Int]) -> Bool {
        let p = parameters
        return !history.isEmpty && p.penaltyWindow > 0 && (p.repetitionPenalty != 1 || p.frequencyPenalty != 0 || p.presencePenalty != 0)
    }

    /// Repetition, frequency and presence penalties over the last `penaltyWindow` tokens.
    private mutating func applyPenalties(_ history: [Int]) {
        let p = parameters
        guard penalizes(history) else { return }
        let window = history.suffix(p.penaltyWindow)
        for token in window where token >= 0 && token < counts.count { counts[token] += 1 }
        for token in window where token >= 0 && token < counts.count && counts[token] > 0 {
            var logit = candidates[token].value
            logit = logit > 0 ? logit / p.repetitionPenalty : logit * p.repetitionPenalty
            logit -= Float(counts[token]) * p.frequencyPenalty + p.presencePenalty
            candidates[token].value = logit
            counts[token] = 0
        }
    }

    /// Moves the `k` largest candidates to the front (quickselect, in place, no allocation).
    private mutating func selectLargest(_ k: Int) {
        var low = 0, high = candidates.count - 1
        while low < high {
            let pivot = candidates[(low + high) / 2].value
            var i = low, j = high
            while i <= j {
                while candidates[i].value > pivot { i += 1 }
                while candidates[j].value < pivot { j -= 1 }
                if i <= j { candidates.swapAt(i, j); i += 1; j -= 1 }
            }
            if k - 1 <= j { high = j } else if k - 1 >= i { low = i } else { return }
        }
    }

    /// Sorts the candidates by value, largest first, ties by token id (insertion sort: the
    /// candidates are few after top-k; in place).
    private mutating func sortDescending() {
        if candidates.count > 256 {
            candidates.sort { $0.value > $1.value || ($0.value == $1.value && $0.id < $1.id) }
            return
        }
        for i in 1..<max(1, candidates.count) {
            let item = candidates[i]
            var j = i - 1
            while j >= 0 && (candidates[j].value < item.value || (candidates[j].value == item.value && candidates[j].id > item.id)) {
                candidates[j + 1] = candidates[j]
                j -= 1
            }
            candidates[j + 1] = item
        }
    }

    /// Turns the candidates' logits (sorted, largest first) into probabilities.
    private mutating func softmax() {
        guard let maximum = candidates.first?.value else { return }
        var sum: Float = 0
        for i in candidates.indices {
            let e = expf(candidates[i].value - maximum)
            candidates[i].value = e
            sum += e
        }
        for i in candidates.indices { candidates[i].value /= sum }
    }
}

import Template

/// "Did you mean" for misspelt names: the closest candidate by edit distance, if close enough.
enum Suggestion {
    /// The candidate nearest to `name`, when at most a third of its length (and at least one
    /// edit) away; ties go to the candidate listed first.
    static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            // Lengths further apart than any accepted distance cannot match: skip the quadratic work.
            let candidateLength = candidate.unicodeScalars.count
            if abs(candidateLength - target.count) > max(1, max(target.count, candidateLength) / 3) { continue }
            let distance = EditDistance.between(target, Array(candidate.lowercased().unicodeScalars))
            let limit = max(1, max(target.count, candidate.unicodeScalars.count) / 3)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// ` (did you mean 'x'?)` or the empty string.
    static func hint(for name: String, in candidates: some Sequence<String>) -> String {
        closest(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}

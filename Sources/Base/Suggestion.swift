/// "Did you mean" hints from edit distance, as compilers give for misspelled names. The one
/// implementation behind every hint: template names (filters, tests, tags, attributes), workflow
/// keys and references, input values and time zones.
public enum Suggestion {
    /// How close a candidate must be to count as a likely typo.
    public enum Rule: Sendable {
        /// Jinja names, compared as written: at most one edit for names under five characters,
        /// two for longer ones (the template engine's messages follow this since its first version).
        case typo
        /// Workflow names, compared case-insensitively: at most a third of the longer name's
        /// length, and at least one edit, so long step ids tolerate more slips than short keys.
        case proportional
    }

    /// ` (did you mean 'x'?)` for the closest candidate, or the empty string.
    public static func hint(for name: String, rule: Rule = .proportional, in candidates: some Sequence<String>) -> String {
        closest(to: name, rule: rule, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The candidate nearest to `name` when it is close enough under `rule`, never `name` itself;
    /// ties go to the candidate listed first.
    public static func closest(to name: String, rule: Rule = .proportional, in candidates: some Sequence<String>) -> String? {
        switch rule {
        case .typo:
            let target = Array(name.unicodeScalars)
            // A suggestion is for a typo in a name: a long text (a key built at run time) has none,
            // and the quadratic distance on it could take seconds.
            guard target.count <= 200 else { return nil }
            let limit = name.count >= 5 ? 2 : 1
            return nearest(to: name, in: candidates) { candidate in
                if abs(candidate.unicodeScalars.count - target.count) > limit { return nil }
                let distance = EditDistance.between(target, Array(candidate.unicodeScalars))
                return distance <= limit ? distance : nil
            }
        case .proportional:
            let target = Array(name.lowercased().unicodeScalars)
            return nearest(to: name, in: candidates) { candidate in
                let candidateLength = candidate.unicodeScalars.count
                let limit = max(1, max(target.count, candidateLength) / 3)
                // Lengths further apart than any accepted distance cannot match: skip the quadratic work.
                if abs(candidateLength - target.count) > limit { return nil }
                let distance = EditDistance.between(target, Array(candidate.lowercased().unicodeScalars))
                return distance <= limit ? distance : nil
            }
        }
    }

    /// The candidate with the smallest accepted distance (`distance` returns nil to refuse one).
    private static func nearest(to name: String, in candidates: some Sequence<String>,
                                distance: (String) -> Int?) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            if let d = distance(candidate), d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }
}

/// Edit distance over Unicode scalars where swapping two neighbours counts as one edit
/// (optimal string alignment), so `nmae` is one edit from `name`.
public enum EditDistance {
    public static func between(_ x: [Unicode.Scalar], _ y: [Unicode.Scalar]) -> Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var older = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var row = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            row[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    row[j] = min(row[j], older[j - 2] + 1)
                }
            }
            (older, previous, row) = (previous, row, older)
        }
        return previous[y.count]
    }
}

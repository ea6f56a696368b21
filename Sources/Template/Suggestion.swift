/// "Did you mean" hints from edit distance, as compilers give for misspelled names.
enum Suggestion {
    /// ` (did you mean 'x'?)` for the closest candidate within a small edit distance, else "".
    static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        guard let best = closest(to: word, among: candidates) else { return "" }
        return " (did you mean '\(best)'?)"
    }

    /// The candidate nearest to `word` when it is close enough to be a likely typo: at most one
    /// edit for short names, two for names of five or more characters, and never the word itself.
    static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let length = word.unicodeScalars.count
        // A suggestion is for a typo in a name: a long text (a key built at run time) has none,
        // and the quadratic distance on it could take seconds.
        guard length <= 200 else { return nil }
        let limit = word.count >= 5 ? 2 : 1
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != word && abs(candidate.unicodeScalars.count - length) <= limit {
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        EditDistance.between(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }
}

/// Edit distance over Unicode scalars where swapping two neighbours counts as one edit
/// (optimal string alignment), so `nmae` is one edit from `name`. Shared by every
/// "did you mean" hint: templates here, workflow keys and references in the Workflow module.
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

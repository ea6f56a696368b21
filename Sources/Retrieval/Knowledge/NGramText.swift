/// The terms of the knowledge base's second full-text index, an n-gram scheme for Korean (and
/// other CJK scripts) where particles and endings attach to words without spaces: a run of Hangul,
/// Han or kana becomes its overlapping character bigrams (`말투는` → `말투 투는`), so the query
/// `말투가` (`말투 투가`) still shares `말투` with it; other words stay whole and lowercased (the
/// FTS5 `porter` tokenizer then stems English). A single CJK character stays a unigram.
enum NGramText {
    /// Space-separated index terms of `text`.
    static func indexText(_ text: String) -> String {
        terms(text).joined(separator: " ")
    }

    static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var segment: [Unicode.Scalar] = []
        var segmentIsCJK = false
        func flush() {
            guard !segment.isEmpty else { return }
            if segmentIsCJK && segment.count > 1 {
                for start in 0..<(segment.count - 1) {
                    terms.append(String(String.UnicodeScalarView(segment[start...(start + 1)])))
                }
            } else {
                terms.append(String(String.UnicodeScalarView(segment)).lowercased())
            }
            segment = []
        }
        for scalar in text.unicodeScalars {
            let isWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            guard isWord else { flush(); continue }
            let cjk = isCJK(scalar.value)
            if !segment.isEmpty && cjk != segmentIsCJK { flush() }
            segmentIsCJK = cjk
            segment.append(scalar)
        }
        flush()
        return terms
    }

    /// Hangul syllables and jamo, CJK ideographs, hiragana and katakana.
    static func isCJK(_ value: UInt32) -> Bool {
        (0xAC00...0xD7A3).contains(value) || (0x1100...0x11FF).contains(value) || (0x3130...0x318F).contains(value)
            || (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x3040...0x30FF).contains(value)
    }
}

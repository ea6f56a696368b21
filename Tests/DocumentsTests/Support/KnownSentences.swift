/// Checks that a reader's text holds the known sentences of a fixture in order. White space is
/// ignored: a PDF places words by position and a table cell may wrap, so spacing is evidence of
/// layout, not of the text.
enum KnownSentences {
    /// The first sentence not found after the previous one, or nil when all are there in order.
    static func missing(_ sentences: [String], in text: String) -> String? {
        let haystack = Array(text.unicodeScalars.filter { !$0.properties.isWhitespace })
        var from = 0
        for sentence in sentences {
            let needle = Array(sentence.unicodeScalars.filter { !$0.properties.isWhitespace })
            guard let found = firstIndex(of: needle, in: haystack, from: from) else { return sentence }
            from = found + needle.count
        }
        return nil
    }

    private static func firstIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], from: Int) -> Int? {
        guard !needle.isEmpty else { return from }
        var start = from
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<start + needle.count].elementsEqual(needle) { return start }
            start += 1
        }
        return nil
    }
}

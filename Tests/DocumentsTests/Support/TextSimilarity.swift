/// Python's `difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()` over Unicode scalars with
/// white space removed: the character-level similarity the PDF fixtures' script reports, so a
/// Swift test and the script measure the same thing.
enum TextSimilarity {
    static func ratio(_ a: String, _ b: String) -> Double {
        let left = a.unicodeScalars.filter { !$0.properties.isWhitespace }.map(\.value)
        let right = b.unicodeScalars.filter { !$0.properties.isWhitespace }.map(\.value)
        guard !left.isEmpty || !right.isEmpty else { return 1 }
        var positions: [UInt32: [Int]] = [:]
        for (index, scalar) in right.enumerated() { positions[scalar, default: []].append(index) }
        var matched = 0
        var queue = [(0, left.count, 0, right.count)]
        while let (alo, ahi, blo, bhi) = queue.popLast() {
            let (i, j, size) = longestMatch(left, alo, ahi, blo, bhi, positions)
            guard size > 0 else { continue }
            matched += size
            if alo < i, blo < j { queue.append((alo, i, blo, j)) }
            if i + size < ahi, j + size < bhi { queue.append((i + size, ahi, j + size, bhi)) }
        }
        return 2 * Double(matched) / Double(left.count + right.count)
    }

    /// difflib's `find_longest_match` without junk: the longest common run, earliest in `a`, then in `b`.
    private static func longestMatch(_ a: [UInt32], _ alo: Int, _ ahi: Int, _ blo: Int, _ bhi: Int,
                                     _ positions: [UInt32: [Int]]) -> (Int, Int, Int) {
        var best = (alo, blo, 0)
        var lengths: [Int: Int] = [:]
        for i in alo..<ahi {
            var next: [Int: Int] = [:]
            for j in positions[a[i]] ?? [] where j >= blo {
                if j >= bhi { break }
                let length = (lengths[j - 1] ?? 0) + 1
                next[j] = length
                if length > best.2 { best = (i - length + 1, j - length + 1, length) }
            }
            lengths = next
        }
        return best
    }
}

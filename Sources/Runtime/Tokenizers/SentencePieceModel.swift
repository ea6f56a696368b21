/// SentencePiece-style merging (`tokenizer.ggml.model = llama`) as llama.cpp's
/// `llm_tokenizer_spm_session` does it: a fragment's characters start as symbols; the adjacent
/// pair whose concatenation is a token with the highest score (leftmost on ties) merges until
/// none is left; characters that form no token fall back to byte tokens `<0xXX>`.
struct SentencePieceModel: Sendable {
    /// Token texts (UTF-8, `▁` for spaces); `tokenOfEntry` gives each entry's token.
    let tokenTable: ByteStringTable
    let tokenOfEntry: [Int32]
    let scores: [Float]
    /// The token for each byte (`<0xXX>`, else the byte itself as text, else unk).
    let byteToken: [Int32]

    init(tokens: [String], scores: [Float], unknown: Int?) {
        var table = ByteStringTable(capacity: tokens.count)
        var tokenOfEntry: [Int32] = []
        for (id, text) in tokens.enumerated() {
            let (entry, inserted) = table.intern(Array(text.utf8))
            if inserted { tokenOfEntry.append(Int32(id)) } else { tokenOfEntry[Int(entry)] = Int32(id) }
        }
        func find(_ bytes: [UInt8]) -> Int32? { table.find(bytes).map { tokenOfEntry[Int($0)] } }
        let digits = Array("0123456789ABCDEF".utf8)
        var byteToken = [Int32](repeating: Int32(unknown ?? -1), count: 256)
        for b in 0..<256 {
            let hex: [UInt8] = Array("<0x".utf8) + [digits[b >> 4], digits[b & 15]] + Array(">".utf8)
            if let id = find(hex) { byteToken[b] = id } else if let id = find([UInt8(b)]) { byteToken[b] = id }
        }
        tokenTable = table
        self.tokenOfEntry = tokenOfEntry
        self.scores = scores
        self.byteToken = byteToken
    }

    private struct Bigram {
        var score: Float
        var left: Int32
        var size: Int32
        /// Pops first: higher score, then smaller left index.
        func before(_ other: Bigram) -> Bool { score > other.score || (score == other.score && left < other.left) }
    }

    /// Appends the tokens of `text` (already space-escaped) to `output`.
    func encode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        let n = text.count
        guard n > 0, let base = text.baseAddress else { return }
        var start: [Int32] = [], length: [Int32] = [], next: [Int32] = [], previous: [Int32] = []
        var offset = 0
        while offset < n {
            let lead = text[offset]
            let width = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            let count = min(width, n - offset)
            previous.append(Int32(start.count - 1))
            start.append(Int32(offset)); length.append(Int32(count))
            offset += count
            next.append(offset == n ? -1 : Int32(start.count))
        }
        var heap: [Bigram] = []
        func tokenOf(_ from: Int, _ count: Int) -> Int32? {
            tokenTable.find(UnsafeBufferPointer(start: base + from, count: count)).map { tokenOfEntry[Int($0)] }
        }
        func addBigram(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let size = Int(length[Int(left)] + length[Int(right)])
            guard let token = tokenOf(Int(start[Int(left)]), size), Int(token) < scores.count else { return }
            heap.append(Bigram(score: scores[Int(token)], left: left, size: Int32(size)))
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                if !heap[child].before(heap[parent]) { break }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func pop() -> Bigram? {
            guard let first = heap.first else { return nil }
            let last = heap.removeLast()
            if heap.isEmpty { return first }
            heap[0] = last
            var parent = 0
            while true {
                let l = 2 * parent + 1
                if l >= heap.count { break }
                var best = l
                if l + 1 < heap.count && heap[l + 1].before(heap[l]) { best = l + 1 }
                if !heap[best].before(heap[parent]) { break }
                heap.swapAt(parent, best)
                parent = best
            }
            return first
        }
        for i in 1..<max(start.count, 1) { addBigram(Int32(i - 1), Int32(i)) }
        while let bigram = pop() {
            let left = Int(bigram.left)
            let right = Int(next[left])
            guard length[left] > 0, right >= 0, length[right] > 0, length[left] + length[right] == bigram.size else { continue }
            length[left] += length[right]
            length[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
            addBigram(previous[left], Int32(left))
            addBigram(Int32(left), next[left])
        }
        var i = 0
        while i >= 0 && i < start.count {
            let from = Int(start[i]), count = Int(length[i])
            if let token = tokenOf(from, count) {
                output.append(Int(token))
            } else {
                for j in from..<(from + count) where byteToken[Int(text[j])] >= 0 {
                    output.append(Int(byteToken[Int(text[j])]))
                }
            }
            i = Int(next[i])
        }
    }
}

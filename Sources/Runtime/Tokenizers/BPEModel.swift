/// Byte-level BPE merging as llama.cpp's `llm_tokenizer_bpe_session` does it: a word's bytes
/// start as one symbol each; the adjacent pair with the lowest merge rank (leftmost on ties) is
/// merged until no pair has a rank; each final symbol becomes its token, or its bytes' tokens.
///
/// Symbols are interned: every single byte, every merge part and every merge result gets a
/// symbol number, so a pair lookup is one hash probe on two integers.
struct BPEModel: Sendable {
    /// The symbol of each single byte.
    let byteSymbol: [Int32]
    /// (left symbol << 32 | right symbol) → (rank << 32 | result symbol).
    let merges: PairTable
    /// The token of each symbol, -1 when the symbol's bytes are no token.
    let symbolToken: [Int32]
    /// The token of each single byte (its mapped character), -1 when absent.
    let byteToken: [Int32]
    /// Llama 3 style: a word that is a whole token is not merged (`ignore_merges`).
    let ignoreMerges: Bool
    /// Token texts as raw bytes; `tokenOfEntry` gives each entry's token.
    let tokenTable: ByteStringTable
    let tokenOfEntry: [Int32]

    /// Builds the model from token texts (byte-level spelled) and merges ("left right").
    init(tokens: [String], merges mergeTexts: [String], ignoreMerges: Bool) {
        var buffer: [UInt8] = [], left: [UInt8] = [], right: [UInt8] = [], joined: [UInt8] = []
        var tokenTable = ByteStringTable(capacity: tokens.count)
        var tokenOfEntry: [Int32] = []
        tokenOfEntry.reserveCapacity(tokens.count)
        for (id, text) in tokens.enumerated() {
            var text = text
            guard text.withUTF8({ ByteLevel.decode($0, into: &buffer) }), !buffer.isEmpty else { continue }
            let (entry, inserted) = tokenTable.intern(buffer)
            if inserted { tokenOfEntry.append(Int32(id)) } else { tokenOfEntry[Int(entry)] = Int32(id) }  // last wins
        }
        var symbols = ByteStringTable(capacity: tokens.count + mergeTexts.count)
        var symbolToken: [Int32] = []
        func intern(_ bytes: [UInt8]) -> Int32 {
            bytes.withUnsafeBufferPointer { bytes in
                // Both tables hash alike: one hash serves the symbol and the token lookup.
                let hash = ByteStringTable.hash(bytes)
                let (entry, inserted) = symbols.intern(bytes, hash: hash)
                if inserted { symbolToken.append(tokenTable.find(bytes, hash: hash).map { tokenOfEntry[Int($0)] } ?? -1) }
                return entry
            }
        }
        var byteSymbol = [Int32](repeating: 0, count: 256)
        for b in 0..<256 { byteSymbol[b] = intern([UInt8(b)]) }

        var table = PairTable(capacity: mergeTexts.count)
        for (rank, text) in mergeTexts.enumerated() {
            var text = text
            // llama.cpp splits at the first space after the first byte.
            let ok = text.withUTF8 { utf8 -> Bool in
                guard utf8.count > 1, let split = utf8[1...].firstIndex(of: 0x20) else { return false }
                return ByteLevel.decode(UnsafeBufferPointer(rebasing: utf8[..<split]), into: &left)
                    && ByteLevel.decode(UnsafeBufferPointer(rebasing: utf8[(split + 1)...]), into: &right)
            }
            guard ok, !left.isEmpty, !right.isEmpty else { continue }
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: left)
            joined.append(contentsOf: right)
            let l = intern(left), r = intern(right), result = intern(joined)
            table.insertIfAbsent(UInt64(UInt32(l)) << 32 | UInt64(UInt32(r)), UInt64(rank) << 32 | UInt64(UInt32(result)))
        }
        var byteToken = [Int32](repeating: -1, count: 256)
        for b in 0..<256 { byteToken[b] = symbolToken[Int(byteSymbol[b])] }

        self.byteSymbol = byteSymbol
        self.merges = table
        self.symbolToken = symbolToken
        self.byteToken = byteToken
        self.ignoreMerges = ignoreMerges
        self.tokenTable = tokenTable
        self.tokenOfEntry = tokenOfEntry
    }

    /// Scratch space reused across words so merging allocates nothing per word.
    struct Scratch {
        var symbol: [Int32] = []
        var length: [Int32] = []
        var next: [Int32] = []
        var previous: [Int32] = []
        var heap: [Bigram] = []
    }

    struct Bigram {
        var key: UInt64      // rank << 32 | left index: smaller first
        var leftSymbol: Int32
        var rightSymbol: Int32
        var result: Int32
    }

    /// Encodes the words of a fragment (word i is code points `ends[i-1]..<ends[i]`, at bytes
    /// `offsets[...]`), each through the word cache.
    static func encodeWords(_ bpe: BPEModel, _ bytes: UnsafeBufferPointer<UInt8>, offsets: UnsafeBufferPointer<Int>,
                            ends: [Int], cache: inout WordCache, scratch: inout Scratch, into output: inout [Int]) {
        var start = 0
        for end in ends {
            let word = UnsafeBufferPointer(rebasing: bytes[offsets[start]..<offsets[end]])
            start = end
            let hash = ByteStringTable.hash(word)
            if cache.lookup(word, hash: hash, into: &output) { continue }
            let before = output.count
            bpe.encode(word: word, scratch: &scratch, into: &output)
            cache.insert(word, hash: hash, ids: output[before...])
        }
    }

    /// Appends the tokens of one pre-tokenized word (raw bytes) to `output`.
    func encode(word: UnsafeBufferPointer<UInt8>, scratch s: inout Scratch, into output: inout [Int]) {
        let n = word.count
        guard n > 0 else { return }
        if ignoreMerges, let whole = tokenTable.find(word) {
            output.append(Int(tokenOfEntry[Int(whole)]))
            return
        }
        s.symbol.removeAll(keepingCapacity: true)
        s.length.removeAll(keepingCapacity: true)
        s.next.removeAll(keepingCapacity: true)
        s.previous.removeAll(keepingCapacity: true)
        s.heap.removeAll(keepingCapacity: true)
        for i in 0..<n {
            s.symbol.append(byteSymbol[Int(word[i])])
            s.length.append(1)
            s.next.append(i + 1 < n ? Int32(i + 1) : -1)
            s.previous.append(Int32(i - 1))
        }
        for i in 1..<max(n, 1) { addBigram(Int32(i - 1), Int32(i), &s) }
        while let bigram = popMin(&s.heap) {
            let left = Int(bigram.key & 0xFFFF_FFFF)
            guard s.length[left] > 0, s.symbol[left] == bigram.leftSymbol else { continue }
            let right = Int(s.next[left])
            guard right >= 0, s.length[right] > 0, s.symbol[right] == bigram.rightSymbol else { continue }
            s.symbol[left] = bigram.result
            s.length[left] += s.length[right]
            s.length[right] = 0
            s.next[left] = s.next[right]
            if s.next[right] >= 0 { s.previous[Int(s.next[right])] = Int32(left) }
            addBigram(s.previous[left], Int32(left), &s)
            addBigram(Int32(left), s.next[left], &s)
        }
        var i = 0
        while i >= 0 && i < n {
            let token = symbolToken[Int(s.symbol[i])]
            if token >= 0 {
                output.append(Int(token))
            } else {
                for j in i..<(i + Int(s.length[i])) {
                    let b = byteToken[Int(word[j])]
                    if b >= 0 { output.append(Int(b)) }
                }
            }
            i = Int(s.next[i])
        }
    }

    @inline(__always)
    private func addBigram(_ left: Int32, _ right: Int32, _ s: inout Scratch) {
        guard left >= 0, right >= 0 else { return }
        let l = s.symbol[Int(left)], r = s.symbol[Int(right)]
        guard let found = merges.value(for: UInt64(UInt32(l)) << 32 | UInt64(UInt32(r))) else { return }
        let rank = found >> 32
        push(Bigram(key: rank << 32 | UInt64(UInt32(left)), leftSymbol: l, rightSymbol: r,
                    result: Int32(truncatingIfNeeded: found & 0xFFFF_FFFF)), &s.heap)
    }

    @inline(__always)
    private func push(_ item: Bigram, _ heap: inout [Bigram]) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent].key <= heap[child].key { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    @inline(__always)
    private func popMin(_ heap: inout [Bigram]) -> Bigram? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if heap.isEmpty { return first }
        heap[0] = last
        var parent = 0
        let count = heap.count
        while true {
            let l = 2 * parent + 1
            if l >= count { break }
            var smallest = l
            if l + 1 < count && heap[l + 1].key < heap[l].key { smallest = l + 1 }
            if heap[parent].key <= heap[smallest].key { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }
}

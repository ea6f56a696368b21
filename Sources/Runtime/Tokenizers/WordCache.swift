/// A cache from a pre-tokenized word's bytes to its token ids, so each distinct word is merged
/// once: natural text repeats words, and merging is the slow part. When it holds more than
/// `maxBytes` of words it starts over.
struct WordCache {
    private var words = ByteStringTable(capacity: 1 << 13)
    private var idStart: [Int32] = []
    private var idCount: [Int32] = []
    private var ids: [Int32] = []
    private let maxBytes: Int

    init(maxBytes: Int = 32 << 20) {
        self.maxBytes = maxBytes
    }

    /// Appends the cached ids of `word` to `output` and returns true, or returns false.
    func lookup(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, into output: inout [Int]) -> Bool {
        guard let entry = words.find(word, hash: hash) else { return false }
        let start = Int(idStart[Int(entry)])
        for i in start..<(start + Int(idCount[Int(entry)])) { output.append(Int(ids[i])) }
        return true
    }

    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, ids newIDs: ArraySlice<Int>) {
        if words.byteCount + word.count > maxBytes { self = WordCache(maxBytes: maxBytes) }
        guard words.intern(word, hash: hash).inserted else { return }
        idStart.append(Int32(ids.count))
        idCount.append(Int32(newIDs.count))
        for id in newIDs { ids.append(Int32(id)) }
    }
}

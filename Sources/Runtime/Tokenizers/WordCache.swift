/// A cache from a pre-tokenized word's bytes to its token ids, so each distinct word is merged
/// once: natural text repeats words, and merging is the slow part.
///
/// Keys and ids live in two flat arenas and the table is open-addressed on a 64-bit hash of the
/// bytes, so a lookup allocates nothing. When the arenas pass their limit the cache starts over.
struct WordCache {
    private var slots: [Int32]            // index into entries, -1 empty
    private var hashes: [UInt64] = []
    private var keyStart: [Int32] = [], keyLength: [Int32] = []
    private var idStart: [Int32] = [], idCount: [Int32] = []
    private var keyBytes: [UInt8] = []
    private var ids: [Int32] = []
    private var mask: Int
    private let maxBytes: Int

    init(maxBytes: Int = 32 << 20) {
        slots = Array(repeating: -1, count: 1 << 14)
        mask = slots.count - 1
        self.maxBytes = maxBytes
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(bytes.count)
        var i = 0
        let n = bytes.count
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                h ^= h >> 32
                i += 8
            }
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// Appends the cached ids of `word` to `output` and returns true, or returns false.
    func lookup(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, into output: inout [Int]) -> Bool {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return false }
            if hashes[entry] == hash && Int(keyLength[entry]) == word.count {
                let start = Int(keyStart[entry])
                let same = keyBytes.withUnsafeBufferPointer { stored in
                    memcmpEqual(stored.baseAddress! + start, word.baseAddress, word.count)
                }
                if same {
                    let s = Int(idStart[entry]), c = Int(idCount[entry])
                    for i in s..<(s + c) { output.append(Int(ids[i])) }
                    return true
                }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, ids newIDs: ArraySlice<Int>) {
        if keyBytes.count + word.count > maxBytes { self = WordCache(maxBytes: maxBytes) }
        if hashes.count * 2 >= slots.count { grow() }
        let entry = Int32(hashes.count)
        hashes.append(hash)
        keyStart.append(Int32(keyBytes.count)); keyLength.append(Int32(word.count))
        keyBytes.append(contentsOf: word)
        idStart.append(Int32(ids.count)); idCount.append(Int32(newIDs.count))
        for id in newIDs { ids.append(Int32(id)) }
        place(entry)
    }

    private mutating func place(_ entry: Int32) {
        var slot = Int(truncatingIfNeeded: hashes[Int(entry)]) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for entry in 0..<hashes.count { place(Int32(entry)) }
    }
}

/// Whether `count` bytes at `a` and `b` are equal.
@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let b else { return count == 0 }
    var i = 0
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

/// A hash set of byte strings that numbers its entries 0, 1, 2, ... in insertion order.
///
/// The strings live in one flat arena and the table is open-addressed on a 64-bit hash, so
/// looking up a slice of the input allocates nothing: the tokenizers' token, symbol and word
/// tables are all built on it.
struct ByteStringTable: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int32] = []
    private var lengths: [Int32] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init(capacity: Int = 1024) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        hashes.reserveCapacity(capacity)
        starts.reserveCapacity(capacity)
        lengths.reserveCapacity(capacity)
    }

    /// The number of entries.
    var count: Int { hashes.count }
    /// The bytes held in the arena (to bound caches).
    var byteCount: Int { arena.count }

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

    /// The entry holding exactly `bytes`, if any.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        return arena.withUnsafeBufferPointer { stored in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                if hashes[entry] == hash && Int(lengths[entry]) == bytes.count {
                    let start = Int(starts[entry])
                    var same = true
                    for i in 0..<bytes.count where stored[start + i] != bytes[i] { same = false; break }
                    if same { return Int32(entry) }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { find(bytes, hash: ByteStringTable.hash(bytes)) }

    func find(_ bytes: [UInt8]) -> Int32? { bytes.withUnsafeBufferPointer { find($0) } }

    /// The entry for `bytes`, added if new; `inserted` tells which.
    @discardableResult
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (entry: Int32, inserted: Bool) {
        if let found = find(bytes, hash: hash) { return (found, false) }
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(hashes.count)
        hashes.append(hash)
        starts.append(Int32(arena.count))
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        place(entry)
        return (entry, true)
    }

    @discardableResult
    mutating func intern(_ bytes: [UInt8]) -> (entry: Int32, inserted: Bool) {
        bytes.withUnsafeBufferPointer { intern($0, hash: ByteStringTable.hash($0)) }
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

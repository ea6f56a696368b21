/// An open-addressing hash map from a `UInt64` key to a `UInt64` value, for the tokenizers'
/// hot lookups (merge ranks by symbol pair): no SipHash, no allocation per lookup.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    private(set) var count = 0
    /// Keys are stored +1 so that 0 marks an empty slot.
    private static let empty: UInt64 = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: PairTable.empty, count: size)
        values = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func hash(_ key: UInt64) -> Int {
        var x = key &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return Int(truncatingIfNeeded: x)
    }

    /// Inserts `value` for `key` unless the key is present (the first insertion wins, like
    /// `std::map::emplace`).
    mutating func insertIfAbsent(_ key: UInt64, _ value: UInt64) {
        if count * 2 >= keys.count { grow() }
        let stored = key &+ 1
        var slot = PairTable.hash(key) & mask
        while keys[slot] != PairTable.empty {
            if keys[slot] == stored { return }
            slot = (slot + 1) & mask
        }
        keys[slot] = stored
        values[slot] = value
        count += 1
    }

    @inline(__always) func value(for key: UInt64) -> UInt64? {
        let stored = key &+ 1
        var slot = PairTable.hash(key) & mask
        return keys.withUnsafeBufferPointer { k in
            while true {
                let found = k[slot]
                if found == stored { return values[slot] }
                if found == PairTable.empty { return nil }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: PairTable.empty, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (i, k) in oldKeys.enumerated() where k != PairTable.empty {
            insertIfAbsent(k &- 1, oldValues[i])
        }
    }
}

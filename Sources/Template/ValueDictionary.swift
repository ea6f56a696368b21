/// An insertion-ordered `String -> Value` dictionary, like a Python 3.7+ `dict`.
///
/// Order matters: jinja2 iterates and prints dicts in insertion order, and chat templates and
/// reports rely on it. Lookups go through a hash index built alongside the ordered arrays.
public struct ValueDictionary: Sendable, Equatable {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    /// The values, parallel to `keys`.
    public private(set) var values: [Value] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// The number of entries.
    public var count: Int { keys.count }
    /// Whether the dictionary has no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value for `key`; assigning `nil` removes the entry, assigning to an existing key keeps
    /// its position (as Python does).
    public subscript(key: String) -> Value? {
        get {
            // Small dicts (most template data) are faster to scan than to hash.
            if keys.count <= 8 {
                for i in 0..<keys.count where keys[i] == key { return values[i] }
                return nil
            }
            guard let position = index[key] else { return nil }
            return values[position]
        }
        set {
            if let position = index[key] {
                if let newValue {
                    values[position] = newValue
                } else {
                    keys.remove(at: position)
                    values.remove(at: position)
                    index = [:]
                    for (i, k) in keys.enumerated() { index[k] = i }
                }
            } else if let newValue {
                index[key] = keys.count
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// The entries as (key, value) pairs in insertion order.
    public var entries: [(key: String, value: Value)] {
        Array(zip(keys, values)).map { (key: $0.0, value: $0.1) }
    }

    /// Equal when the same keys map to equal values, whatever the order (Python's dict equality).
    public static func == (lhs: ValueDictionary, rhs: ValueDictionary) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (i, key) in lhs.keys.enumerated() {
            guard let other = rhs[key], other == lhs.values[i] else { return false }
        }
        return true
    }
}

extension ValueDictionary: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}

import Template

/// A key-level difference between two JSON values: one line per path (`$.price`,
/// `$.hashtags[2]`) that was added, removed or changed, in the order the keys appear.
enum JSONKeyDiff {
    /// `+ $.path: value`, `- $.path: value`, `~ $.path: old → new`; empty when equal.
    static func lines(_ old: Value, _ new: Value) -> [String] {
        let a = flatten(old, path: "$")
        let b = flatten(new, path: "$")
        let oldByPath = Dictionary(a.map { ($0.path, $0.value) }, uniquingKeysWith: { first, _ in first })
        let newByPath = Dictionary(b.map { ($0.path, $0.value) }, uniquingKeysWith: { first, _ in first })
        var lines: [String] = []
        for (path, value) in a {
            guard let other = newByPath[path] else {
                lines.append("- \(path): \(value.jsonString())")
                continue
            }
            if other != value { lines.append("~ \(path): \(value.jsonString()) → \(other.jsonString())") }
        }
        for (path, value) in b where oldByPath[path] == nil {
            lines.append("+ \(path): \(value.jsonString())")
        }
        return lines
    }

    /// Every leaf (and empty container) with its path.
    private static func flatten(_ value: Value, path: String) -> [(path: String, value: Value)] {
        switch value {
        case .dict(let dictionary) where !dictionary.entries.isEmpty:
            return dictionary.entries.flatMap { key, item in flatten(item, path: path + "." + key) }
        case .list(let items) where !items.isEmpty:
            return items.enumerated().flatMap { index, item in flatten(item, path: "\(path)[\(index)]") }
        default:
            return [(path, value)]
        }
    }
}

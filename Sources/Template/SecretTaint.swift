import Foundation
import Synchronization

/// Secrets followed through templates: a secret input's value and every string a template
/// computes from it (`upper`, `reverse`, a slice, `tojson`, `e`, `join`, `~`, `%`, `format`,
/// a method call ...), so the engine can mask all of them as `***` wherever they would be stored,
/// shown or logged, and refuse a file name that carries one.
///
/// Set for a whole run as `SecretTaint.current` (a task-local, like `RenderBudget.current`), so
/// every render of the run takes part without each call site passing it. A render with no
/// tracker costs nothing extra.
///
/// What counts as derived: the result of an operator, filter, call or slice with a tainted
/// operand, and a piece read out of a tainted string. Not derived: what is read out of a
/// container that also holds a secret (`inputs.product` beside `inputs.token`), a value chosen by
/// a test on a secret (`'yes' if token else 'no'`), and numbers and booleans (a length says
/// little and masking digits would hide ordinary text). Derived strings shorter than
/// `minimumLength` bytes are not masked for the same reason; the full secret always is.
///
/// The tracked strings live in a `Mutex` (concurrent steps render at once).
public final class SecretTaint: Sendable {
    /// The tracker of the current task's run, if its workflow has secrets.
    @TaskLocal public static var current: SecretTaint?

    /// Derived strings shorter than this (in UTF-8 bytes) are not tracked.
    public static let minimumLength = 4

    /// The tracked strings: as a set (to add each once), in the order seen, and as patterns.
    private struct Tracked {
        var tainted: Set<String>
        var ordered: [String]
        var patterns: SecretPatterns
    }

    private let tracked: Mutex<Tracked>

    /// A tracker for `secrets` (empty strings are ignored).
    public init(secrets: [String]) {
        let kept = Array(Set(secrets.filter { !$0.isEmpty }))
        tracked = Mutex(Tracked(tainted: Set(kept), ordered: kept, patterns: SecretPatterns(kept)))
    }

    /// Every secret and derived string seen so far (the raw secrets included), for the masker.
    public var strings: [String] { tracked.withLock { $0.ordered } }

    /// How many strings are tracked; grows as templates derive new ones.
    public var count: Int { tracked.withLock { $0.ordered.count } }

    /// The tracked strings as they are now, for searching without the lock (a render takes one
    /// at its start and a fresh one after it derives a string).
    var patterns: SecretPatterns { tracked.withLock { $0.patterns } }

    /// Whether `value` is or holds (at any depth) a string that contains a secret or a derived string.
    public func contains(_ value: Value) -> Bool { patterns.contains(value) }

    /// Whether `text` contains a secret or a string derived from one.
    public func contains(_ text: String) -> Bool { patterns.contains(text) }

    /// Records `value`, computed from a secret, as secret: each string in it, and a list's or
    /// dict's printed form (which is what `{{ }}` writes).
    func absorb(_ value: Value) {
        var found: [String] = []
        collect(value, into: &found)
        switch value {
        case .list, .dict:
            var printed = ""
            value.appendPythonString(to: &printed)
            found.append(printed)
        default: break
        }
        let fresh = found.filter { $0.utf8.count >= Self.minimumLength }
        guard !fresh.isEmpty else { return }
        tracked.withLock { tracked in
            let before = tracked.ordered.count
            for text in fresh where tracked.tainted.insert(text).inserted { tracked.ordered.append(text) }
            if tracked.ordered.count != before { tracked.patterns = SecretPatterns(tracked.ordered) }
        }
    }

    private func collect(_ value: Value, into found: inout [String]) {
        switch value {
        case .string(let text): found.append(text)
        case .list(let items): for item in items { collect(item, into: &found) }
        case .dict(let dictionary): for (key, item) in dictionary.entries { found.append(key); collect(item, into: &found) }
        default: break
        }
    }
}

/// The tracked strings as UTF-8 byte patterns: an immutable value, searched without a lock.
struct SecretPatterns: Sendable {
    let patterns: [[UInt8]]
    /// The shortest pattern's length: a shorter string cannot hold one (most strings a template
    /// handles are short, so most checks end here, without touching the bytes).
    let shortest: Int

    init(_ strings: [String]) {
        patterns = strings.map { Array($0.utf8) }
        shortest = patterns.map(\.count).min() ?? Int.max
    }

    func contains(_ value: Value) -> Bool {
        switch value {
        case .string(let text): return contains(text)
        case .list(let items): return items.contains { contains($0) }
        case .dict(let dictionary): return zip(dictionary.keys, dictionary.values).contains { contains($0) || contains($1) }
        default: return false
        }
    }

    func contains(_ text: String) -> Bool {
        guard text.utf8.count >= shortest else { return false }
        var text = text
        return text.withUTF8 { bytes in
            let haystack = UnsafeRawBufferPointer(bytes)
            return patterns.contains { pattern in pattern.withUnsafeBytes { Self.occurs($0, in: haystack) } }
        }
    }

    /// Whether `pattern` (not empty) occurs in `text`: candidates found with `memchr` on its
    /// first byte, then compared with `memcmp`.
    static func occurs(_ pattern: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Bool {
        guard let first = pattern.first, let patternBase = pattern.baseAddress, let textBase = text.baseAddress,
              pattern.count <= text.count else { return false }
        var offset = 0
        let last = text.count - pattern.count
        while offset <= last {
            guard let found = memchr(textBase + offset, Int32(first), last - offset + 1) else { return false }
            let position = textBase.distance(to: UnsafeRawPointer(found))
            if memcmp(textBase + position, patternBase, pattern.count) == 0 { return true }
            offset = position + 1
        }
        return false
    }
}

/// One render's view of the tracker: how many tainted values it has read so far (an expression
/// whose evaluation raised the count was computed from a secret) and the patterns to search.
/// A class so macro calls' copies of the renderer share it.
final class TaintReads {
    var count = 0
    var patterns: SecretPatterns

    init(_ taint: SecretTaint?) {
        patterns = taint?.patterns ?? SecretPatterns([])
    }
}

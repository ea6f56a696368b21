/// Python `str` methods that templates rely on, with Python's exact rules (code points,
/// Python's whitespace and line boundaries, `title` casing).
enum PythonString {
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `\w`: letters, digits (any script), and the underscore.
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
    }

    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c) } ?? isWhitespace(c) }
        let view = s.unicodeScalars
        var start = view.startIndex, end = view.endIndex
        if leading { while start < end, strippable(view[start]) { view.formIndex(after: &start) } }
        if trailing {
            while end > start {
                let before = view.index(before: end)
                guard strippable(view[before]) else { break }
                end = before
            }
        }
        if start == view.startIndex && end == view.endIndex { return s }
        return String(view[start..<end])
    }

    /// `str.replace(old, new, count)`; an empty `old` inserts between every code point.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if count == 0 { return s }
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var replaced = 0
            for c in s.unicodeScalars {
                if count < 0 || replaced < count { out.append(contentsOf: new.unicodeScalars); replaced += 1 }
                out.append(c)
            }
            if count < 0 || replaced < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        let source = Array(s.utf8), replacement = Array(new.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var copied = 0
        forEachMatch(of: old, in: source, count: count) { at, length in
            bytes.append(contentsOf: source[copied..<at])
            bytes.append(contentsOf: replacement)
            copied = at + length
        }
        bytes.append(contentsOf: source[copied...])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// How many times `str.replace(old, new, count)` replaces (non-overlapping, left to right).
    static func replacements(_ s: String, _ old: String, count: Int) -> Int {
        if count == 0 { return 0 }
        if old.isEmpty {
            let slots = s.unicodeScalars.count + 1
            return count < 0 ? slots : Swift.min(count, slots)
        }
        var found = 0
        forEachMatch(of: old, in: Array(s.utf8), count: count) { _, _ in found += 1 }
        return found
    }

    /// Calls `body(offset, length)` for each non-overlapping match of the non-empty `pattern` in
    /// `source`, left to right, at most `count` times (all when negative).
    ///
    /// Matched on UTF-8 bytes: UTF-8 is self-synchronizing, so a byte match of valid UTF-8 is a
    /// code point match; and a byte loop is fast enough that a template replacing in megabytes
    /// stays within its render time (issue 18: the code point loop took 20 s for 4 MB in debug).
    static func forEachMatch(of pattern: String, in source: [UInt8], count: Int, _ body: (Int, Int) -> Void) {
        let needle = Array(pattern.utf8)
        guard let first = needle.first else { return }
        let n = needle.count
        var found = 0, at = 0
        source.withUnsafeBufferPointer { src in
            needle.withUnsafeBufferPointer { pat in
                while at + n <= src.count, count < 0 || found < count {
                    var k = 0
                    if src[at] == first {
                        k = 1
                        while k < n && src[at + k] == pat[k] { k += 1 }
                    }
                    if k == n {
                        body(at, n)
                        found += 1
                        at += n
                    } else {
                        at += 1
                    }
                }
            }
        }
    }

    /// `str.split(sep, maxsplit)`: without a separator, runs of whitespace split and ends are trimmed.
    static func split(_ s: String, separator: String?, maxSplit: Int) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var parts: [String] = []
        if let separator {
            let pattern = Array(separator.unicodeScalars)
            var start = 0, i = 0
            while i + pattern.count <= scalars.count {
                if (maxSplit < 0 || parts.count < maxSplit), scalars[i..<i + pattern.count].elementsEqual(pattern) {
                    parts.append(String(String.UnicodeScalarView(scalars[start..<i])))
                    i += pattern.count
                    start = i
                } else {
                    i += 1
                }
            }
            parts.append(String(String.UnicodeScalarView(scalars[start...])))
            return parts
        }
        var i = 0
        while i < scalars.count {
            while i < scalars.count, isWhitespace(scalars[i]) { i += 1 }
            if i == scalars.count { break }
            if maxSplit >= 0, parts.count == maxSplit {
                var end = scalars.count
                while end > i, isWhitespace(scalars[end - 1]) { end -= 1 }
                parts.append(String(String.UnicodeScalarView(scalars[i..<end])))
                break
            }
            let start = i
            while i < scalars.count, !isWhitespace(scalars[i]) { i += 1 }
            parts.append(String(String.UnicodeScalarView(scalars[start..<i])))
        }
        return parts
    }

    /// `str.splitlines()` (without keepends).
    static func splitlines(_ s: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if previousCR, c == "\n" { previousCR = false; continue }
            previousCR = false
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(String(current))
                current = String.UnicodeScalarView()
                previousCR = c == "\r"
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// `str.capitalize()`: the first character upper-cased, the rest lower-cased.
    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return String(first).uppercased() + String(s.unicodeScalars.dropFirst()).lowercased()
    }

    /// `str.title()`: a cased character after an uncased one is upper-cased, others lower-cased.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            let cased = c.properties.isCased
            if cased {
                out += previousCased ? c.properties.lowercaseMapping : c.properties.titlecaseMapping
            } else {
                out.unicodeScalars.append(c)
            }
            previousCased = cased
        }
        return out
    }

    /// jinja2's `title` filter: words start after whitespace, `-`, or an opening bracket.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atStart = true
        for c in s.unicodeScalars {
            let separator = isWhitespace(c) || "-({[<".unicodeScalars.contains(c)
            if separator {
                out.unicodeScalars.append(c)
                atStart = true
            } else if atStart {
                out += c.properties.uppercaseMapping
                atStart = false
            } else {
                out += c.properties.lowercaseMapping
            }
        }
        return out
    }

    /// Baton's `slug`: lower-cased, every run of characters other than letters and digits (of
    /// any script, so Hangul stays) becomes one `-`, with no `-` at either end.
    static func slug(_ s: String) -> String {
        var out = ""
        var pendingDash = false
        for c in s.lowercased().unicodeScalars {
            if c.properties.isAlphabetic || c.properties.numericType == .decimal {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(c)
            } else {
                pendingDash = true
            }
        }
        return out
    }
}

import Base
import YAML
import Template

/// Turns a YAML node tree into a `Workflow`, collecting every problem instead of stopping at the first.
///
/// Decoding is one pass over the tree that records diagnostics as it goes; `WorkflowChecker` then
/// checks what needs the whole workflow (references, cycles). Readers return `nil` after
/// recording a problem, so decoding continues with the next key.
struct WorkflowDecoder {
    let file: String
    let lines: [Substring]
    var diagnostics: [Diagnostic] = []
    /// Names known before the parts that read them are decoded, for "did you mean 'inputs.x'" hints.
    var inputNames: Set<String> = []
    var stepIDs: Set<String> = []
    /// Steps some review sends work back to (`on_reject: { redo: ID }`).
    var redoTargets: Set<String> = []
    /// Every reference of every template parsed so far, with its owner (`step 'copy'`): a step
    /// that fails to decode still has its references checked, so its misspelt names are
    /// reported in the same pass as its structural problems, not after they are fixed.
    var parsedReferences: [(owner: String, reference: WorkflowReference)] = []
    /// The references of steps that failed to decode.
    var orphanReferences: [(owner: String, reference: WorkflowReference)] = []

    init(file: String, source: String) {
        self.file = file
        self.lines = WorkflowDecoder.splitLines(source)
    }

    /// The lines of `source` without their line breaks (`\n` or `\r\n`), found over the UTF-8
    /// bytes: several times faster than `split` on characters for a large file.
    static func splitLines(_ source: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = source.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                var end = index
                if end != start, utf8[utf8.index(before: end)] == UInt8(ascii: "\r") { end = utf8.index(before: end) }
                lines.append(Substring(utf8[start..<end]))
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(Substring(utf8[start..<utf8.endIndex]))
        return lines
    }

    // MARK: Diagnostics

    func location(_ mark: Mark) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func sourceLine(_ line: Int) -> String? {
        line >= 1 && line <= lines.count ? String(lines[line - 1]) : nil
    }

    mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(location: location, message: message,
                                      sourceLine: location.file == file ? sourceLine(location.line) : nil))
    }

    mutating func error(_ message: String, at mark: Mark) {
        error(message, at: location(mark))
    }

    // MARK: Mappings

    /// The entries of a mapping node by key, after reporting keys outside `allowed` ("did you
    /// mean") and non-scalar keys. `what` names the mapping in messages (`step 'copy'`, `inputs`).
    mutating func fields(_ node: Node, _ what: String, allowed: [String], notApplicable: [String: String] = [:]) -> Fields? {
        guard let entries = node.mapping else {
            error("expected a mapping for \(what), found \(describe(node))", at: node.mark)
            return nil
        }
        var fields = Fields(node: node)
        for entry in entries {
            guard let key = entry.key.scalar?.value else {
                error("keys of \(what) must be plain names, found \(describe(entry.key))", at: entry.key.mark)
                continue
            }
            if let reason = notApplicable[key] {
                error("'\(key)' does not apply to \(what) (\(reason))", at: entry.key.mark)
                continue
            }
            guard allowed.contains(key) else {
                error("unknown key '\(key.shortened())' in \(what)\(Suggestion.hint(for: key, in: allowed + notApplicable.keys.sorted()))", at: entry.key.mark)
                continue
            }
            fields.entries[key] = entry
        }
        return fields
    }

    /// A mapping whose keys are names chosen by the author (`inputs:`, `models:`), in order.
    mutating func namedEntries(_ node: Node, _ what: String) -> [(name: String, key: Node, value: Node)] {
        guard let entries = node.mapping else {
            if node.scalar?.isNull == true { return [] }
            error("expected a mapping of names for '\(what)', found \(describe(node))", at: node.mark)
            return []
        }
        var result: [(name: String, key: Node, value: Node)] = []
        for entry in entries {
            guard let name = entry.key.scalar?.value, !name.isEmpty else {
                error("names under '\(what)' must be plain text, found \(describe(entry.key))", at: entry.key.mark)
                continue
            }
            result.append((name, entry.key, entry.value))
        }
        return result
    }

    /// How a node is named in "found ..." messages: a quoted scalar, `a list`, `a mapping`.
    func describe(_ node: Node) -> String {
        switch node.content {
        case .scalar(let scalar):
            if scalar.isNull { return "nothing" }
            let shown = scalar.value.count > 40 ? String(scalar.value.prefix(40)) + "…" : scalar.value
            return "'\(shown.replacingNewlines())'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Whether `name` can be written after a dot in a template (`steps.NAME`): letters, digits and
    /// `_`, not starting with a digit.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !(first.properties.numericType != nil) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}

/// The recognised entries of one mapping, by key.
struct Fields {
    var node: Node
    var entries: [String: MappingEntry] = [:]

    subscript(key: String) -> Node? { entries[key]?.value }
    func has(_ key: String) -> Bool { entries[key] != nil }
    func keyMark(_ key: String) -> Mark? { entries[key]?.key.mark }
}

extension String {
    /// At most `limit` characters, with `…` when cut: names quoted in messages stay readable
    /// even when the input holds a megabyte-long key.
    func shortened(_ limit: Int = 60) -> String {
        count > limit ? String(prefix(limit)) + "…" : self
    }

    /// The text on one line: newlines shown as `⏎` in messages.
    func replacingNewlines() -> String {
        String(map { $0 == "\n" ? "⏎" : $0 })
    }
}

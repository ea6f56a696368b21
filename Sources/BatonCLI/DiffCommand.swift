import Audit
import CommandKit
import Engine
import Foundation
import Template

/// `baton diff RUN_A RUN_B`: what changed between two runs, input by input and step by step.
struct DiffCommand: TableCommand {
    static let abstract = "Compare two runs: inputs, then per step reuse, prompt, output, tokens and time."
    static let options = OptionTable("baton diff", [
        .positional("RUN_A"),
        .positional("RUN_B"),
        .store,
        .flag("json", help: "The same as one JSON object: {a, b, inputs: [{name, a, b}], steps: [{step, iteration, kind, in, reused_from, status, prompt_changed, prompt_diff, output_changed, output_diff, tokens_out, latency_ms}]}."),
    ])
    static let discussion = """
        Prints the inputs that differ, then every step and for_each item of either run (its final
        attempt): whether RUN_B reused it from an earlier run, the prompt's difference, the output's
        difference (word by word for text, key by key for JSON: '+' added, '-' removed, '~'
        changed), tokens and time. Word differences read [-removed-]{+added+}. RUN_A and RUN_B may
        be id prefixes; typically RUN_B is a 'baton rerun' of RUN_A.
        """
    static let epilogue = "EXIT STATUS: 0 when the report was printed, 1 when a run cannot be read, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 2 else {
            throw UsageError(message: "'baton diff' compares two runs: RUN_A RUN_B", usage: usage)
        }
        return try ErrorReport.reporting {
            let store = try AuditPresentation.openStore(parsed)
            let a = try store.resolveRun(parsed.positionals[0])
            let b = try store.resolveRun(parsed.positionals[1])
            let diff = RunDiff(a: a, attemptsA: try store.attempts(run: a.id), b: b, attemptsB: try store.attempts(run: b.id))
            printOut(parsed.flag("json") ? diff.json().rendered() : diff.text())
            return 0
        }
    }
}

/// The comparison `baton diff` prints, built from two runs and their attempts.
struct RunDiff {
    var a: RunRecord
    var attemptsA: [StepAttemptRecord]
    var b: RunRecord
    var attemptsB: [StepAttemptRecord]

    func text() -> String {
        var lines = ["diff \(a.id) (\(a.workflow), \(a.status.rawValue)) → \(b.id) (\(b.workflow), \(b.status.rawValue))"]
        if a.workflowSHA256 != b.workflowSHA256 { lines.append("workflow source differs (sha256 \(a.workflowSHA256.prefix(12)) → \(b.workflowSHA256.prefix(12)))") }
        lines.append("")
        lines += inputLines()
        let finalA = Self.finalAttempts(attemptsA)
        let finalB = Self.finalAttempts(attemptsB)
        var keys = finalA.map(\.key)
        for attempt in finalB where !keys.contains(attempt.key) { keys.append(attempt.key) }
        let byKeyA = Dictionary(finalA.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let byKeyB = Dictionary(finalB.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        for key in keys {
            lines.append("")
            lines += stepLines(key, byKeyA[key], byKeyB[key])
        }
        return lines.joined(separator: "\n")
    }

    /// `inputs:` with one line per input that differs, or `inputs: same`.
    private func inputLines() -> [String] {
        let old = Self.dictionary(a.inputsJSON)
        let new = Self.dictionary(b.inputsJSON)
        var names = old.keys
        for name in new.keys where !names.contains(name) { names.append(name) }
        var lines: [String] = []
        for name in names {
            let x = old[name] ?? .none
            let y = new[name] ?? .none
            guard x != y else { continue }
            lines.append("  \(name): \(Self.shortJSON(x)) → \(Self.shortJSON(y))")
        }
        return lines.isEmpty ? ["inputs: same"] : ["inputs:"] + lines
    }

    private func stepLines(_ key: StepKey, _ old: StepAttemptRecord?, _ new: StepAttemptRecord?) -> [String] {
        guard let old, let new else {
            let only = old ?? new
            return ["step \(key) · only in \(old == nil ? b.id : a.id) (\(only?.status.rawValue ?? "?"))"]
        }
        var head = "step \(key) · \(new.kind) · "
        if let origin = ReuseCache.origin(of: new) {
            head += "reused from run \(origin.run) attempt \(origin.attempt)"
        } else if old.status != new.status {
            head += "\(old.status.rawValue) → \(new.status.rawValue)"
        } else {
            head += old.model == nil ? new.status.rawValue : "ran again"
        }
        var lines = [head]
        if old.model != new.model { lines.append("  model: \(old.model ?? "none") → \(new.model ?? "none")") }
        if let prompt = WordDiff.render(old.prompt ?? "", new.prompt ?? "") {
            lines.append("  prompt:")
            lines += Self.indented(prompt)
        } else if old.prompt != nil {
            lines.append("  prompt: same")
        }
        lines += outputLines(old, new)
        lines.append("  tokens: \(Self.tokens(old)) → \(Self.tokens(new)) · time: \(Self.time(old)) → \(Self.time(new))")
        return lines
    }

    func outputLines(_ old: StepAttemptRecord, _ new: StepAttemptRecord) -> [String] {
        if let x = old.outputJSON.flatMap({ try? Value(json: Data($0.utf8)) }),
           let y = new.outputJSON.flatMap({ try? Value(json: Data($0.utf8)) }) {
            let changes = JSONKeyDiff.lines(x, y)
            return changes.isEmpty ? ["  output: same"] : ["  output (JSON keys):"] + changes.map { "    " + $0 }
        }
        guard let output = WordDiff.render(old.outputText ?? "", new.outputText ?? "") else {
            return old.outputText == nil ? [] : ["  output: same"]
        }
        return ["  output:"] + Self.indented(output)
    }

    /// The last attempt of each step and item, in the order each first appears.
    static func finalAttempts(_ attempts: [StepAttemptRecord]) -> [StepAttemptRecord] { RunComparison.finalAttempts(attempts) }

    static func dictionary(_ json: String) -> [(key: String, value: Value)] {
        guard case .dict(let dictionary)? = try? Value(json: Data(json.utf8)) else { return [] }
        return dictionary.entries
    }

    static func indented(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
    }

    /// A value on one line, cut to 80 characters (a file input holds a whole file).
    static func shortJSON(_ value: Value) -> String {
        let text = value.jsonString()
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    static func tokens(_ attempt: StepAttemptRecord) -> String {
        guard attempt.tokensIn != nil || attempt.tokensOut != nil else { return "-" }
        return "\(attempt.tokensIn.map(String.init) ?? "?") in / \(attempt.tokensOut.map(String.init) ?? "?") out"
    }

    static func time(_ attempt: StepAttemptRecord) -> String {
        attempt.latencyMs.map { AuditPresentation.formatDuration(Double($0) / 1000) } ?? "-"
    }
}

extension Array where Element == (key: String, value: Value) {
    fileprivate var keys: [String] { map(\.key) }
    fileprivate subscript(name: String) -> Value? { first { $0.key == name }?.value }
}

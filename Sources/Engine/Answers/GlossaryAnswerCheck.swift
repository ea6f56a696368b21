import Foundation
import Template
import Workflow

/// `translate` with a glossary: each term whose source occurs in the text being translated must
/// appear in the translation as given. Terms whose source is not in the text are neither asked
/// for nor checked (a university's release is not told to name a food company); the audit
/// record lists the terms checked.
struct GlossaryAnswerCheck: AnswerCheck {
    /// How many terms the step declares.
    var declared: Int
    /// The terms whose source occurs in the text.
    var checked: [GlossaryEntry]
    var language: Recipes.Language

    func judge(_ text: String) -> (verdict: AnswerVerdict, extra: ValueDictionary) {
        let missing = checked.filter { !text.contains($0.target) }
        let extra: ValueDictionary = ["glossary_check": .dict([
            "terms": .int(declared), "checked": .list(checked.map { .string($0.source) }), "ok": .bool(missing.isEmpty),
            "missing": .list(missing.map(Self.pair)),
        ])]
        guard !missing.isEmpty else { return (.accept(.string(text)), extra) }
        let error = "glossary: " + missing.map { "'\($0.target)' (for '\($0.source)') is missing" }.joined(separator: ", ")
        let note = (try? Recipes.render(Recipes.glossaryRetry(language), name: "recipe glossary retry", ["missing": .list(missing.map(Self.pair))])) ?? error
        let reason = "glossary terms missing: " + missing.map(\.target).joined(separator: ", ")
        return (.followUp(error: error, reason: reason, message: note), extra)
    }

    static func pair(_ entry: GlossaryEntry) -> Value { .dict(["source": .string(entry.source), "target": .string(entry.target)]) }
}

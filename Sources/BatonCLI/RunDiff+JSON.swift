import Audit
import Engine
import Foundation
import Template

extension RunDiff {
    /// `baton diff --json`: `{"a", "b", "inputs": [{name, a, b}], "steps": [{step, iteration, kind,
    /// in, reused_from, status: [a, b], prompt_changed, prompt_diff, output_changed, output_diff,
    /// tokens_out: [a, b], latency_ms: [a, b]}]}`; `in` is `both`, `a` or `b`, and the diffs are
    /// the text the plain report prints (`null` when unchanged).
    func json() -> OutputJSON {
        let old = Self.dictionary(a.inputsJSON)
        let new = Self.dictionary(b.inputsJSON)
        var names = old.map(\.key)
        for (name, _) in new where !names.contains(name) { names.append(name) }
        let inputs: [OutputJSON] = names.compactMap { name in
            let x = old.first { $0.key == name }?.value ?? .none
            let y = new.first { $0.key == name }?.value ?? .none
            guard x != y else { return nil }
            return .object([("name", .string(name)), ("a", .raw(x.jsonString())), ("b", .raw(y.jsonString()))])
        }
        let finalA = Self.finalAttempts(attemptsA)
        let finalB = Self.finalAttempts(attemptsB)
        var keys = finalA.map(\.key)
        for attempt in finalB where !keys.contains(attempt.key) { keys.append(attempt.key) }
        let steps: [OutputJSON] = keys.map { key in
            let x = finalA.last { $0.key == key }
            let y = finalB.last { $0.key == key }
            var fields: [(String, OutputJSON)] = [("step", .string(key.stepID)), ("iteration", .int(key.iteration)),
                                                  ("kind", .string((y ?? x)?.kind)), ("in", .string(x == nil ? "b" : y == nil ? "a" : "both"))]
            let origin = y.flatMap(ReuseCache.origin(of:))
            fields.append(("reused_from", origin.map { .object([("run", .string($0.run)), ("attempt", .int($0.attempt))]) } ?? .null))
            fields.append(("status", .array([.string(x?.status.rawValue), .string(y?.status.rawValue)])))
            if let x, let y {
                let prompt = WordDiff.render(x.prompt ?? "", y.prompt ?? "")
                fields.append(("prompt_changed", .bool(prompt != nil)))
                fields.append(("prompt_diff", .string(prompt)))
                let output = outputLines(x, y).filter { $0 != "  output: same" }
                fields.append(("output_changed", .bool(!output.isEmpty)))
                fields.append(("output_diff", .string(output.isEmpty ? nil : output.dropFirst().map { String($0.dropFirst(4)) }.joined(separator: "\n"))))
            }
            fields.append(("tokens_out", .array([.int(x?.tokensOut), .int(y?.tokensOut)])))
            fields.append(("latency_ms", .array([.int(x?.latencyMs), .int(y?.latencyMs)])))
            return .object(fields)
        }
        return .object([("a", .string(a.id)), ("b", .string(b.id)), ("inputs", .array(inputs)), ("steps", .array(steps))])
    }
}

import Base
import Audit
import CommandKit
import Foundation
import Template
import Workflow

/// A recorded run's inputs, and what `--input` arguments change in them: what `baton resume`
/// refuses (a changed value would sit beside outputs made from the old one) and what
/// `baton rerun` runs with.
struct StoredInputs {
    /// The values as the store holds them (secret inputs as `***`).
    var values: [String: Value]

    init(_ run: RunRecord) throws {
        values = [:]
        if case .dict(let stored) = try Value(json: Data(run.inputsJSON.utf8)) {
            for (key, value) in stored.entries { values[key] = value }
        }
    }

    /// The `--input` arguments as assignments to inputs of `workflow`; an unknown name is a
    /// usage error with a did-you-mean.
    static func assignments(_ arguments: [String], workflow: Workflow, usage: String) throws -> [InputBinding.Assignment] {
        try arguments.map { argument in
            guard let assignment = InputBinding.Assignment(parsing: argument) else {
                throw UsageError(message: "--input takes KEY=VALUE or KEY=@PATH, not '\(argument)'", usage: usage)
            }
            guard workflow.input(assignment.name) != nil else {
                let hint = Suggestion.hint(for: assignment.name, in: workflow.inputs.map(\.name))
                throw UsageError(message: "--input: '\(workflow.name)' has no input '\(assignment.name)'\(hint)", usage: usage)
            }
            return assignment
        }
    }

    /// The inputs of a new run: the stored values with `assignments` applied, converted and
    /// checked like `baton run`'s. A `file` input keeps its stored content unless given again.
    func resolved(_ workflow: Workflow, assignments: [InputBinding.Assignment]) throws(WorkflowDiagnostics) -> [String: Value] {
        var given = values.filter { workflow.input($0.key) != nil }
        // A stored file input holds the file's text, not its path: hand it back through
        // `readFile` under a name no path can have, absolute so that it is not resolved against
        // the workflow's folder on the way.
        var storedFiles: [String: String] = [:]
        for spec in workflow.inputs where spec.type == .file {
            guard case .string(let text)? = given[spec.name] else { continue }
            let token = "/\u{0}stored input \(spec.name)"
            storedFiles[token] = text
            given[spec.name] = .string(token)
        }
        // Stored `path` values are absolute, or relative to the folder the run resolved the
        // workflow's paths in (the working directory was that folder): as written in the workflow.
        return try InputBinding.resolve(workflow, assignments: assignments, values: given, valuesAreWritten: true) { path in
            if let text = storedFiles[path] { return text }
            return try InputBinding.readTextFile(path)
        }
    }

    /// The names of secret inputs the store masked and `assignments` do not give again.
    func missingSecrets(_ workflow: Workflow, assignments: [InputBinding.Assignment]) -> [String] {
        let given = Set(assignments.map(\.name))
        return workflow.secretInputNames.sorted().filter { values[$0] == .string(SecretMasker.mask) && !given.contains($0) }
    }
}

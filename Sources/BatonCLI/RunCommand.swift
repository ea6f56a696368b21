import CommandKit
import Foundation
import Audit
import Engine
import Template
import Workflow

/// `baton run`: runs a workflow, recording every step in the audit store.
struct RunCommand: TableCommand {
    static let abstract = "Run a workflow, recording every step in the audit store."
    static let options = OptionTable("baton run", [
        .positional("FILE"),
    ] + CommandArgument.workflowInputs + [
        .flag("reuse", help: "Take a model step's answer from an earlier run of this workflow when its whole request (prompt, model, sampling, schema) is the same, instead of calling the model (a step cache; off by default)."),
        .approveAll,
    ]).adding(RunSession.arguments)
    static let discussion = """
        Runs the workflow's steps as a graph, several at once, and prints its outputs. Progress goes
        to stderr: a live line per step on a terminal, plain log lines otherwise. Every attempt (its
        rendered prompt, parameters, model, output, tokens and timing) is stored in the audit store;
        'baton show RUN' prints it, 'baton resume RUN' finishes a failed, cancelled or interrupted run.
        """
    static let epilogue = "EXIT STATUS: 0 when the run succeeded, 1 when it failed or was cancelled, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.count == 1, let file = parsed.positionals.first else {
            throw UsageError(message: parsed.positionals.isEmpty ? "'baton run' needs a workflow FILE" : "'baton run' runs one workflow at a time", usage: usage)
        }
        let assignments = try parsed.inputAssignments(usage: usage)
        var configuration = try RunSession.configuration(parsed, usage: usage)
        configuration.reviews.approveAll = ReviewOptions.approveAll(parsed)
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(path: file)
        } catch {
            printError(error.description)
            return 1
        }
        try RunSession.checkModelOverrides(configuration, workflow: workflow, usage: usage)
        guard let store = RunSession.openStore(parsed) else { return 1 }
        if parsed.flag("reuse") {
            guard let cache = RunSession.reuseCache(store, workflow: workflow) else { return 1 }
            configuration.reuse = cache
        }
        let engine = Engine(workflow: workflow, store: store, configuration: configuration)
        let inputs: [String: Value]
        do {
            let values = try parsed.inputFileValues()
            inputs = try InputBinding.resolve(workflow, assignments: assignments, values: values)
        } catch {
            // Recorded too, so the store shows every attempt to run, including those refused.
            let given = Value.dict(ValueDictionary(assignments.map { ($0.name, Value.string($0.fromFile ? "@" + $0.text : $0.text)) })).jsonString()
            let runID = try? engine.recordFailedStart(inputsJSON: given, error: error.description)
            printError(error.description)
            if let runID { printError("run \(runID) failed") }
            return 1
        }
        return await RunSession.execute(engine, inputs: inputs, trigger: .manual, parentRunID: nil, reuse: [], json: parsed.flag("json"))
    }
}

extension ValueDictionary {
    /// A dictionary of `pairs` in the given order (a later duplicate key wins).
    init(_ pairs: [(String, Value)]) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }
}

import CommandKit
import Foundation
import Audit
import Engine
import Template
import Workflow

/// `baton rerun`: runs a recorded run's workflow again, with inputs or models changed, calling
/// models only for the requests that changed.
struct RerunCommand: TableCommand {
    static let abstract = "Run a recorded run's workflow again with changes, reusing every unchanged model request."
    static let options = OptionTable("baton rerun", [
        .positional("RUN"),
        .option("input", value: "KEY=VALUE", help: "Change an input; KEY=@PATH reads the value from a file, KEY=@- from stdin.", repeatable: true),
        .flag("fresh", help: "Reuse nothing: call the model for every step."),
        .approveAll,
        .option("workflow-dir", value: "DIR", help: "The folder the workflow's relative paths resolve against, instead of the one RUN recorded (moved or gone)."),
        .shortOption("m", value: "MODEL", help: "For a prompt run: the model to send it to instead (as 'baton prompt -m': a GGUF, SERVER:MODEL or URL#MODEL)."),
    ]).adding(RunSession.arguments)
    static let discussion = """
        A run of 'baton prompt' (trigger prompt) is sent again as a new prompt run (parent RUN):
        the same system text, message and sampling, on the same model unless -m/--model MODEL
        names another (as 'baton prompt -m' does: a GGUF, SERVER:MODEL or URL#MODEL).

        For a workflow run: starts a new run (parent RUN) of the workflow source RUN ran, with RUN's inputs except those
        given with --input. A model step or for_each item is reused from RUN, without calling the
        model, only when its whole request is the same as a finished attempt's: the rendered prompt
        or messages, the model (a GGUF's SHA-256 with its adapters, or server and model name), the
        sampling parameters, the schema and the recipe version. Everything that depends on a
        changed input or model runs again. Each reused attempt records the run and attempt it came
        from; 'baton diff RUN NEW' shows what changed. RUN may be an id prefix. Secret inputs are
        stored as '***' and must be given again with --input.

        Relative paths written in the workflow ('read' globs, knowledge databases, local models)
        resolve against the folder the workflow file lay in when RUN started, whatever the
        working directory; --workflow-dir DIR names another (the folder was moved). A run
        recorded before Baton kept that folder resolves them against the working directory.
        """
    static let epilogue = "EXIT STATUS: 0 when the new run succeeded, 1 otherwise, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.count == 1, let runName = parsed.positionals.first else {
            throw UsageError(message: "'baton rerun' needs one RUN id", usage: usage)
        }
        return try await ErrorReport.reporting {
            let store = try AuditStore(path: AuditStore.resolvePath(option: parsed.value("db")), create: false)
            _ = try store.finishInterruptedRuns()
            let previous = try store.resolveRun(runName)
            if previous.status == .running {
                printError("error: run \(previous.id) is still running (process \(previous.pid.map(String.init) ?? "?") on \(previous.host ?? "?"))")
                return 1
            }
            // A `baton prompt` run has no workflow: its turn is sent again as a new prompt run.
            if previous.trigger == .prompt { return try rerunPrompt(previous, store: store, parsed: parsed) }
            if parsed.value("m") != nil { throw UsageError(message: "-m applies to a prompt run; a workflow run takes --model NAME=URL#MODEL", usage: usage) }
            var configuration = try RunSession.configuration(parsed, usage: usage)
            configuration.reviews.approveAll = ReviewOptions.approveAll(parsed)
            let workflow = try StoredWorkflow.load(previous, folder: parsed.value("workflow-dir"))
            try RunSession.checkModelOverrides(configuration, workflow: workflow, usage: usage)
            let stored = try StoredInputs(previous)
            let assignments = try StoredInputs.assignments(parsed.values("input"), workflow: workflow, usage: usage)
            let missing = stored.missingSecrets(workflow, assignments: assignments)
            if let name = missing.first {
                printError("error: input '\(name)' is secret and was not stored; give it again with --input \(name)=...")
                return 1
            }
            let inputs: [String: Value]
            do {
                inputs = try stored.resolved(workflow, assignments: assignments)
            } catch {
                printError(String(describing: error))
                return 1
            }
            if !parsed.flag("fresh") {
                configuration.reuse = ReuseCache(attempts: try store.attempts(run: previous.id))
            }
            let engine = Engine(workflow: workflow, store: store, configuration: configuration)
            let reusable = configuration.reuse?.count ?? 0
            printError("re-running run \(previous.id): \(parsed.flag("fresh") ? "--fresh, nothing reused" : "\(reusable) finished model requests may be reused")")
            return await RunSession.execute(engine, inputs: inputs, trigger: .manual, parentRunID: previous.id, reuse: [], json: parsed.flag("json"))
        }
    }
}

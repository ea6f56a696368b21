import CommandKit
import Foundation
import Audit
import Engine
import Template
import Workflow

/// What `baton run` and `baton resume` share: options, running the engine to the end with
/// SIGINT/SIGTERM cancelling it cleanly, and printing the result.
enum RunSession {
    /// The options every command that runs a workflow takes (`run`, `resume`, `rerun`, `serve`).
    static let arguments: [CommandArgument] = [
        .store,
        .option("out", value: "DIR", help: "The only folder files are written into.", default: "out"),
        .option("concurrency", value: "N", help: "Steps and for_each items in flight at once (default: the workflow's defaults.concurrency, else 4 for servers, 1 for a local model)."),
        .option("model", value: "NAME=URL#MODEL", help: "Use an OpenAI-compatible server for model NAME of the workflow ('*' for every model); e.g. --model '*=http://localhost:11434/v1#qwen2.5:7b'. BATON_MODEL_OVERRIDES may hold such overrides for every run (space-separated).", repeatable: true),
        .flag("json", help: "Print {run_id, status, outputs, files, error} as JSON."),
    ]


    /// The engine configuration the options describe.
    static func configuration(_ parsed: ParsedArguments, usage: String) throws -> EngineConfiguration {
        var configuration = EngineConfiguration(output: OutputDirectory(parsed.value("out") ?? "out"), stream: wantsStream(parsed))
        if let text = parsed.value("concurrency") {
            guard let value = Int(text), value > 0 else { throw UsageError(message: "--concurrency needs a positive whole number, not '\(text)'", usage: usage) }
            configuration.concurrency = value
        }
        // `BATON_MODEL_OVERRIDES` holds overrides for every run of this shell (a team's Ollama, a test's
        // loopback server), separated by spaces; `--model` options come after it and win.
        let fromEnvironment = (ProcessInfo.processInfo.environment["BATON_MODEL_OVERRIDES"] ?? "").split(separator: " ").map(String.init)
        for text in fromEnvironment + parsed.values("model") {
            guard let equals = text.firstIndex(of: "="), let hash = text.lastIndex(of: "#"), equals < hash else {
                throw UsageError(message: "--model takes NAME=URL#MODEL, not '\(text)'", usage: usage)
            }
            let name = String(text[..<equals])
            let url = String(text[text.index(after: equals)..<hash])
            let model = String(text[text.index(after: hash)...])
            guard !name.isEmpty, !url.isEmpty, !model.isEmpty else { throw UsageError(message: "--model takes NAME=URL#MODEL, not '\(text)'", usage: usage) }
            try checkBaseURL(url, usage: usage)
            configuration.modelOverrides[name] = ModelSpec.RemoteModel(baseURL: url, model: model)
        }
        // The config's prices bound a cost `budget:` for servers the workflow does not price; a
        // config with an error is reported by the commands that read it, not here.
        configuration.prices = (try? UserConfig.load()).map(UsageCommand.priceTable) ?? [:]
        return configuration
    }

    /// Whether to ask servers for streamed answers: when the live table can show them (stderr is a
    /// terminal and `--json` is off), unless `BATON_STREAM` says `1` (always) or `0` (never), for
    /// a proxy that only streams or a pipe that should see the same requests as a terminal.
    static func wantsStream(_ parsed: ParsedArguments, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch environment["BATON_STREAM"] {
        case "1"?: return true
        case "0"?: return false
        default: return isatty(STDERR_FILENO) == 1 && !parsed.flag("json")
        }
    }

    /// Opens (creating it when missing) the audit store named by `--db` / `BATON_DB` for a command
    /// that records runs; prints the error and returns `nil` when it cannot be opened.
    static func openStore(_ parsed: ParsedArguments) -> AuditStore? {
        do {
            return try AuditStore(path: AuditStore.resolvePath(option: parsed.value("db")))
        } catch {
            printError(ErrorReport.line(for: error))
            return nil
        }
    }

    /// Runs the engine to its end; SIGINT or SIGTERM cancels the run (recorded `cancelled`).
    /// With `continuation`, the claimed waiting run goes on in place instead of a new run.
    static func execute(_ engine: Engine, inputs: [String: Value], trigger: RunTrigger, parentRunID: String?,
                        reuse: [StepAttemptRecord], continuation: RunContinuation? = nil, json: Bool) async -> Int32 {
        let progress = RunProgress()
        let observed = Engine(workflow: engine.workflow, store: engine.store, configuration: engine.configuration, observer: { progress.handle($0) })
        let task = Task { () throws(AuditError) -> RunResult in
            if let continuation { return try await observed.continueRun(continuation) }
            return try await observed.run(inputs: inputs, trigger: trigger, parentRunID: parentRunID, reuse: reuse)
        }
        let signals = TerminationSignals { name in
            printError("\nbaton: \(name) received, cancelling the run…")
            task.cancel()
        }
        let result = await task.result
        signals.cancel()
        switch result {
        case .success(let result):
            report(result, json: json)
            // A run stopped at a review did nothing wrong: it goes on after `baton review`.
            return result.status == .succeeded || result.status == .waiting ? 0 : 1
        case .failure(let error):
            printError(ErrorReport.line(for: error))
            return 1
        }
    }

    /// Prints the outputs (stdout) and the run's end (stderr), or the JSON object.
    static func report(_ result: RunResult, json: Bool) {
        if json {
            let outputs = OutputJSON.object(result.outputs.map { ($0.name, OutputJSON.raw($0.value.jsonString())) })
            printOut(OutputJSON.object([
                ("run_id", .string(result.runID)), ("status", .string(result.status.rawValue)), ("outputs", outputs),
                ("files", .array(result.files.map { .string($0) })), ("error", .string(result.error)),
            ]).rendered())
            return
        }
        for output in result.outputs {
            // Names and model text are escaped: a control character in them cannot forge a line.
            if case .string(let text) = output.value {
                printOut("\(output.name): \(TerminalText.text(text))")
            } else {
                printOut("\(output.name): \(output.value.jsonString())")
            }
        }
        for file in result.files { printOut("wrote \(TerminalText.name(file))") }
        if result.status == .waiting {
            for step in result.steps.filter({ $0.value == "waiting" }).map(\.key).sorted() where result.error?.contains("'\(step)'") == true {
                printError("waiting for review of step '\(TerminalText.name(step))': baton review show \(result.runID) \(step); then baton review \(result.runID) \(step) --approve --continue")
            }
        } else if let error = result.error {
            printError("error: \(TerminalText.text(error))")
        }
        printError("run \(result.runID) \(result.status.rawValue)")
    }
}

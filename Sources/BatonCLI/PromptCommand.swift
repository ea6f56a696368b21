import Base
import Audit
import CommandKit
import Engine
import Foundation
import Providers
import YAML

/// `baton prompt [TEXT] [-m MODEL] [--system TEXT] ...`: one chat turn from the shell, streamed
/// to stdout and recorded as a run (trigger `prompt`), like `llm "..."` and `llm logs`.
struct PromptCommand: TableCommand {
    static let abstract = "Send one prompt to a model, stream the reply, record it as a run."
    static let options = OptionTable("baton prompt", [
        .positional("TEXT", required: false),
        .chatModel,
        .option("system", value: "TEXT", help: "A system message before the prompt."),
    ] + CommandArgument.sampling + [
        .store,
        .flag("json", help: "Print {run_id, model, text, tokens_in, tokens_out, finish_reason, status} at the end instead of streaming."),
    ])
    static let discussion = """
        Sends TEXT as one user message through the model's chat template and prints the reply as
        it is generated. Text piped on stdin comes first, joined to TEXT by a space (as 'llm'
        does): cat brief.md | baton prompt "요약해 줘". The turn is recorded in the audit store as
        a run of 'prompt' (trigger prompt): 'baton runs' and 'baton show RUN' list it with its
        tokens. Ctrl-C stops the reply, keeps what came and marks the run interrupted.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let parameters = try samplingParameters(parsed, usage: usage)
        var parts: [String] = []
        if stdinIsPipedText() {
            let piped = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            if !piped.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append(piped) }
        }
        if !parsed.positionals.isEmpty { parts.append(parsed.positionals.joined(separator: " ")) }
        guard !parts.isEmpty else { throw UsageError(message: "nothing to send: give TEXT or pipe text on stdin", usage: usage) }
        let text = parts.joined(separator: " ")
        let json = parsed.flag("json")
        let environment = ProcessInfo.processInfo.environment
        let resolved: PromptModel
        do {
            resolved = try PromptModel.resolve(parsed.value("model"), config: try UserConfig.load(environment: environment),
                                               environment: environment, usage: usage)
        } catch let error as YAMLError {
            printError(error.description)
            return 1
        }
        guard let store = RunSession.openStore(parsed) else { return 1 }
        return try ErrorReport.reporting {
            resolved.rememberIdentity(store: store, environment: environment)
            let model = try EngineConfiguration.standardModelFactory(resolved.spec, environment, EngineConfiguration(environment: environment, stream: true))
            let system = parsed.value("system")
            let session = try PromptSession(store: store, model: model, resolved: resolved, trigger: .prompt, system: system,
                                            source: "# baton prompt -m \(resolved.label)\n")
            let sent = try session.sendSingleTurn(system: system, text: text, parameters: parameters, quiet: json)
            let (turn, error) = (sent.turn, sent.error)
            if json { printOut(sent.json(runID: session.runID, model: resolved.label, finishReason: true).rendered()) }
            if turn.cancelled { printError("baton: interrupted; the partial reply is kept in run \(session.runID)") }
            if let error, !turn.cancelled { printError("error: \(error)") }
            return turn.response == nil ? 1 : 0
        }
    }

    /// Whether stdin is a pipe, file or socket (`echo x | baton prompt`, `< brief.md`): read to
    /// its end then. A terminal or a device such as `/dev/null` (cron, a service) is not read, so
    /// a command with TEXT never waits for input nobody sends.
    static func stdinIsPipedText() -> Bool {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG || type == S_IFSOCK
    }

    /// `--temperature`, `--max-tokens`, `--seed` (shared with `baton chat`).
    static func samplingParameters(_ parsed: ParsedArguments, usage: String) throws -> Sampling {
        var parameters = Sampling()
        if let t = try parsed.finiteNumber("temperature", usage: usage) {
            guard t >= 0 else { throw UsageError(message: "--temperature must be 0 or more, found '\(t)'", usage: usage) }
            parameters.temperature = Double(t)
        }
        parameters.maxTokens = try parsed.positiveInteger("max-tokens", usage: usage)
        if let seed = parsed.value("seed") {
            guard let value = Int(seed), value >= 0 else { throw UsageError(message: "--seed must be a whole number, found '\(seed)'", usage: usage) }
            parameters.seed = value
        }
        return parameters
    }
}

import Audit
import CommandKit
import Foundation
import Template
import Workflow

/// Options several `baton` commands take, declared once so that their spelling and help read
/// the same in every `--help`: a table lists them by name (`OptionTable("baton runs",
/// [.runsOfWorkflow, ..., .store])`), and the ones that need more than `parsed.value` are read
/// by one function below.
extension CommandArgument {
    /// `--db PATH`: the audit store (`AuditPresentation.openStore` and `RunSession.openStore` read it).
    static let store = CommandArgument.option("db", value: "PATH", help: "The audit store (default: $BATON_DB, else .baton/baton.db).")

    /// `--input` and `--inputs`: a workflow's input values, for `run` and `render`
    /// (`ParsedArguments.inputAssignments` and `inputFileValues` read them).
    static let workflowInputs: [CommandArgument] = [
        .option("input", value: "KEY=VALUE|KEY=@PATH", help: "An input value (converted to the input's type); KEY=@PATH reads the value from a file, KEY=@- from stdin.", repeatable: true),
        .option("inputs", value: "FILE", help: "Input values from a JSON or YAML file."),
    ]

    /// `--approve-all`, for the commands that run a workflow (`ReviewOptions.approveAll` reads it).
    static let approveAll = CommandArgument.flag("approve-all", help: "Approve every review step without a person (for tests and unattended runs; each approval is recorded by 'auto-approve'). BATON_AUTO_APPROVE=1 does the same. Without it a run that reaches a review stops as 'waiting' (exit 0): see 'baton review'.")

    /// `-m, --model MODEL`: the model a chat turn goes to (`PromptModel` resolves it).
    static let chatModel = CommandArgument.option("model", short: "m", value: "MODEL", help: "A GGUF in the model folder ('SmolLM2' finds SmolLM2-135M-Instruct.Q4_1.gguf) or a path, SERVER:MODEL or SERVER for a server of ~/.baton/config.yaml ('baton models' lists both), or URL#MODEL for any OpenAI-compatible server. Default: the '*' entry of BATON_MODEL_OVERRIDES, else the config's default_model, else the local default GGUF.")

    /// `--temperature`, `--max-tokens` and `--seed` of a chat turn (`PromptCommand.samplingParameters` reads them).
    static let sampling: [CommandArgument] = [
        .option("temperature", value: "T", help: "0 is greedy and reproducible (default: the model's)."),
        .option("max-tokens", value: "N", help: "Most tokens in the reply (default 512 locally, the server's otherwise)."),
        .option("seed", value: "S", help: "Seed of the random choice."),
    ]

    /// `--threads N` of the local runtime (`ModelRunOptions`, `baton train lora`).
    static let workerThreads = CommandArgument.option("threads", value: "N", help: "Worker threads (default: all cores).")

    /// `--workflow NAME`: a filter of the commands that read recorded runs.
    static let runsOfWorkflow = CommandArgument.option("workflow", value: "NAME", help: "Only runs of this workflow.")

    /// `--since DATE`: a filter of the commands that read recorded runs (`ParsedArguments.since` reads it).
    static let since = CommandArgument.option("since", value: "DATE", help: "Only runs started on or after DATE (YYYY-MM-DD, UTC, or a full timestamp such as 2026-12-01T09:00:00Z).")

    /// `--workflows DIR`: the folder of workflows that `serve` offers and `scheduler` runs.
    static let workflowsFolder = CommandArgument.option("workflows", value: "DIR", help: "The folder of workflows.", default: "Workflows")
}

extension ParsedArguments {
    /// The `--input KEY=VALUE|KEY=@PATH` assignments, in order; a malformed one is a usage error.
    func inputAssignments(usage: String) throws -> [InputBinding.Assignment] {
        try values("input").map { argument in
            guard let assignment = InputBinding.Assignment(parsing: argument) else {
                throw UsageError(message: "--input takes KEY=VALUE or KEY=@PATH, not '\(argument)'", usage: usage)
            }
            return assignment
        }
    }

    /// The values of the `--inputs FILE` file; none without it.
    func inputFileValues() throws(WorkflowDiagnostics) -> [String: Value] {
        guard let path = value("inputs") else { return [:] }
        return try InputBinding.values(fromFile: path)
    }

    /// `--since DATE`, if given; a date it cannot read is a usage error.
    func since(usage: String) throws -> Date? {
        guard let text = value("since") else { return nil }
        guard let date = Self.parseDate(text) else {
            throw UsageError(message: "--since takes YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), not '\(text)'", usage: usage)
        }
        return date
    }

    /// `2026-12-01` (midnight UTC) or a full ISO 8601 timestamp.
    static func parseDate(_ text: String) -> Date? {
        if let date = AuditTime.parse(text) { return date }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.count == 10 ? [.withFullDate] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text)
    }
}

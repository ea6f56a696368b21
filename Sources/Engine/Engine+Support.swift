import Documents
import Foundation
import Providers
import Audit
import Template
import Workflow

extension Engine {
    /// The values that must never be stored or shown: inputs declared `secret: true` and the
    /// API keys of the models in use.
    func secretValues(_ inputs: [String: Value]) -> [String] {
        var secrets = models.secrets()
        for name in workflow.secretInputNames {
            if case .string(let text)? = inputs[name] { secrets.append(text) }
        }
        return secrets
    }

    /// The inputs in declaration order.
    func inputsDictionary(_ inputs: [String: Value]) -> ValueDictionary {
        var dictionary = ValueDictionary()
        for spec in workflow.inputs { if let value = inputs[spec.name] { dictionary[spec.name] = value } }
        for key in inputs.keys.sorted() where dictionary[key] == nil { dictionary[key] = inputs[key] }
        return dictionary
    }

    func inputsJSON(_ inputs: [String: Value]) -> String { Value.dict(inputsDictionary(inputs)).jsonString() }

    /// `run.*` as templates see it.
    func runValues(_ run: RunRecord) -> ValueDictionary {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        let stamp = formatter.string(from: run.startedAt)
        return ["id": .string(run.id), "workflow": .string(workflow.name), "date": .string(String(stamp.prefix(10))),
                "started_at": .string(stamp), "trigger": .string(run.trigger.rawValue),
                "scheduled_at": run.scheduledFor.map { .string(formatter.string(from: $0)) } ?? .none]
    }

    /// Appends an attempt row with every text masked; a refused row fails the step.
    func record(_ attempt: StepAttemptRecord, _ state: RunState) {
        var row = attempt
        row.attempt += state.attemptsBefore[row.key] ?? 0
        let masker = state.masker
        row.prompt = masker.mask(row.prompt)
        row.outputText = masker.mask(row.outputText)
        row.outputJSON = masker.mask(row.outputJSON)
        row.parametersJSON = masker.mask(row.parametersJSON)
        row.error = masker.mask(row.error)
        row.extraJSON = masker.mask(row.extraJSON)
        do {
            _ = try store.appendAttempt(row)
        } catch {
            state.noteFailure(attempt.stepID, "the audit store refused the attempt row: \(error)")
        }
    }

    /// Writes a file inside the output folder and records it with its SHA-256. A path ending in
    /// `.docx` gets a Word document, one ending in `.hwpx` a Hangul document, made from the
    /// (Markdown) content.
    /// A text file ends with a line break (POSIX's definition of a line; `cat`, `wc -l` and diff
    /// tools expect it), added when the rendered content lacks one.
    /// A path that carries a secret, or a string a template derived from one (`SecretTaint`), is
    /// refused: file names are listed, shown and stored in clear. The contents are written as
    /// the template made them (the user asked for them).
    @discardableResult
    func writeFile(_ relative: String, _ content: String, step: String?, _ state: RunState) throws -> String {
        if state.taint.contains(relative) {
            throw OutputDirectory.PathError(path: state.masker.mask(relative),
                                            reason: "the name is made from a secret input; file names are listed, shown and stored in clear, so no secret may be part of one")
        }
        let text = content.isEmpty || content.hasSuffix("\n") ? content : content + "\n"
        let bytes = DocumentWriters.document(forPath: relative, fromMarkdown: content).map { Data($0) } ?? Data(text.utf8)
        let url = try configuration.output.write(bytes, to: relative)
        let shown = displayPath(url)
        _ = try store.recordFile(FileRecord(runID: state.runID, stepID: step, path: shown, contents: bytes, writtenAt: Date()))
        state.addFile(shown)
        return shown
    }

    /// A written file's path relative to the working directory when it lies below it.
    func displayPath(_ url: URL) -> String {
        Workflow.shown(url.standardizedFileURL.path)
    }

    /// Renders each file's path and content in `context` and writes it; the first failure stops.
    /// Returns the paths written (as recorded).
    @discardableResult
    func writeFiles(_ files: [OutputFile], context: [String: Value], step: String?, _ state: RunState) throws -> [String] {
        var written: [String] = []
        for file in files {
            let path: String
            let content: String
            do {
                path = try file.path.render(context)
                content = try file.content.render(context)
            } catch {
                throw workflow.attachingSource(to: error)
            }
            written.append(try writeFile(path, content, step: step, state))
        }
        return written
    }

    /// Renders `outputs:` and writes the workflow's own files.
    func writeOutputs(_ state: RunState) async throws -> [(name: String, value: Value)] {
        let context = state.context()
        var values: [(name: String, value: Value)] = []
        for output in workflow.outputs.values {
            do {
                values.append((output.name, try output.value.evaluate(context)))
            } catch {
                throw workflow.attachingSource(to: error)
            }
        }
        try writeFiles(workflow.outputs.files, context: context, step: nil, state)
        return values
    }

    /// The wait before attempt `attempt + 1`: the server's `Retry-After` when it sent one, else
    /// `backoff × 2^(attempt-1)` with jitter (between half and all of it), so that many items
    /// failing together do not retry in lockstep; never more than `maxBackoff`.
    func backoff(after attempt: Int, policy: RetryPolicy, retryAfter: Double?) -> Duration {
        let cap = configuration.maxBackoff
        if let retryAfter { return min(cap, Self.milliseconds(retryAfter * 1000)) }
        let base = Double(policy.backoff.components.seconds) + Double(policy.backoff.components.attoseconds) / 1e18
        let exponential = base * pow(2, Double(max(0, attempt - 1)))
        let jittered = exponential * Double.random(in: 0.5...1.0)
        return min(cap, Self.milliseconds(jittered * 1000))
    }

    /// `value` milliseconds, clamped into what `Int` holds: a server's `Retry-After: 1e300` (or
    /// `inf`, `nan`) and `2^attempt` backoffs of many attempts must not trap the conversion.
    static func milliseconds(_ value: Double) -> Duration {
        guard value.isFinite, value > 0 else { return value == .infinity ? .milliseconds(Int64.max / 1000) : .zero }
        return .milliseconds(Int64(min(value, Double(Int64.max / 1000))))
    }

    /// The value an earlier attempt produced: its parsed JSON when it has one, else its text.
    static func reusedValue(_ record: StepAttemptRecord) -> Value {
        if let json = record.outputJSON, let value = try? Value(json: Data(json.utf8)) { return value }
        return record.outputText.map(Value.string) ?? .none
    }
}

extension Duration {
    /// Whole milliseconds, for the audit store's `latency_ms`.
    var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}

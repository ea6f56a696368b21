import Audit
import Base
import CommandKit
import Foundation
import Runtime

/// `baton dataset export --out data.jsonl`: the audit store's final model outputs (a reviewer's
/// edit where there is one) as chat-format JSONL for `baton train lora`, split into training and
/// validation files, with a manifest that ties every line to the rows it came from.
struct DatasetExportCommand: TableCommand {
    static let abstract = "Write the store's approved outputs as chat-format JSONL with a manifest."
    static let options = OptionTable("baton dataset export", [
        .option("out", value: "FILE.jsonl", help: "The training file (required); beside it FILE.valid.jsonl and FILE.manifest.json.", required: true,
                missing: "--out FILE.jsonl is required"),
        .runsOfWorkflow,
        .option("step", value: "ID", help: "Only this step's outputs."),
        .since,
        .flag("approved-only", help: "Only outputs of runs whose last review decision approved (as shown or edited)."),
        .option("valid-fraction", value: "X", help: "Share of examples held out for validation, 0 to 0.9 (default 0.1)."),
        .option("seed", value: "N", help: "Seed of the shuffle before the split (default 0)."),
        .store,
        .flag("json", help: "Print the manifest instead of the summary line."),
    ])
    static let discussion = """
        Writes one {"messages": [...]} line per example: the system and user messages the step's
        final attempt sent, then its output as the assistant's message. Where a review showed
        that output, the reviewer's edited text replaces it, and a rejected output is left out.
        Texts are as the store keeps them (secrets already masked); identical conversations are
        written once. Runs are read oldest first; the split into FILE.jsonl and
        FILE.valid.jsonl is a seeded shuffle. FILE.manifest.json records the filters, the
        counts, each file's SHA-256 and, per line, the run, step, attempt row and review row.
        Local-model steps whose record holds the chat template's rendering instead of messages
        are counted and left out.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        if let extra = parsed.positionals.first { throw UsageError(message: "unexpected argument '\(extra)'", usage: usage) }
        guard let out = parsed.value("out") else { throw UsageError(message: "--out FILE.jsonl is required", usage: usage) }
        guard out.hasSuffix(".jsonl") else { throw UsageError(message: "--out must name a .jsonl file, got '\(out)'", usage: usage) }
        var filters = DatasetExport.Filters(workflow: parsed.value("workflow"), step: parsed.value("step"), approvedOnly: parsed.flag("approved-only"))
        filters.since = try parsed.since(usage: usage)
        var fraction = 0.1
        if let text = parsed.value("valid-fraction") {
            guard let value = Double(text), value >= 0, value <= 0.9 else {
                throw UsageError(message: "--valid-fraction must be a number from 0 to 0.9, got '\(text)'", usage: usage)
            }
            fraction = value
        }
        var seed: UInt64 = 0
        if let text = parsed.value("seed") {
            guard let value = UInt64(text) else { throw UsageError(message: "--seed must be a whole number, got '\(text)'", usage: usage) }
            seed = value
        }

        let store = try AuditPresentation.openStore(parsed)
        let export = try DatasetExport(store: store, filters: filters)
        guard !export.examples.isEmpty else {
            printError("error: no outputs to export (\(summary(export.counts)))")
            return 1
        }
        // Seeded Fisher-Yates, then the first share is held out.
        var order = Array(export.examples.indices), generator = SeededGenerator(seed: seed)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        let validCount = min(Int((Double(order.count) * fraction).rounded()), order.count - 1)
        let valid = order.prefix(validCount).sorted(), train = order.dropFirst(validCount).sorted()
        let stem = String(out.dropLast(".jsonl".count))
        let validPath = stem + ".valid.jsonl", manifestPath = stem + ".manifest.json"

        let trainText = train.map { export.examples[$0].line + "\n" }.joined()
        let validText = valid.map { export.examples[$0].line + "\n" }.joined()
        var files: [(String, OutputJSON)] = [("train", fileFields(out, trainText, count: train.count))]
        if validCount > 0 { files.append(("valid", fileFields(validPath, validText, count: valid.count))) }
        let c = export.counts
        let manifest = OutputJSON.object([
            ("store", .string(store.path)),
            ("data_sha256", .string(SHA256.hash(trainText).hex)),
            ("filters", .object([
                ("workflow", .string(filters.workflow)), ("step", .string(filters.step)),
                ("since", .string(filters.since.map(AuditTime.format))), ("approved_only", .bool(filters.approvedOnly)),
                ("valid_fraction", .raw(String(fraction))), ("seed", .raw(String(seed))),
            ])),
            ("counts", .object([
                ("runs", .int(c.runs)), ("outputs", .int(c.outputs)), ("examples", .int(export.examples.count)),
                ("train", .int(train.count)), ("valid", .int(valid.count)), ("edited", .int(c.edited)),
                ("duplicates", .int(c.duplicates)), ("rejected", .int(c.rejected)), ("unapproved", .int(c.unapproved)),
                ("rendered_prompts", .int(c.renderedPrompts)),
            ])),
            ("files", .object(files)),
            ("examples", .array(train.enumerated().map { source(export.examples[$1], file: "train", line: $0 + 1) }
                + valid.enumerated().map { source(export.examples[$1], file: "valid", line: $0 + 1) })),
        ]).rendered() + "\n"
        do {
            try Data(trainText.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            if validCount > 0 { try Data(validText.utf8).write(to: URL(fileURLWithPath: validPath), options: .atomic) }
            try Data(manifest.utf8).write(to: URL(fileURLWithPath: manifestPath), options: .atomic)
        } catch {
            printError("error: cannot write the dataset: \(SystemErrorText.describe(error))")
            return 1
        }
        if parsed.flag("json") {
            printOut(manifest, terminator: "")
        } else {
            printOut("wrote \(out) (\(train.count) examples)" + (validCount > 0 ? ", \(validPath) (\(validCount))" : "") + ", \(manifestPath): \(summary(c))")
        }
        return 0
    }

    static func fileFields(_ path: String, _ text: String, count: Int) -> OutputJSON {
        .object([("path", .string(path)), ("sha256", .string(SHA256.hash(text).hex)), ("examples", .int(count))])
    }

    static func source(_ example: DatasetExport.Example, file: String, line: Int) -> OutputJSON {
        .object([
            ("file", .string(file)), ("line", .int(line)), ("run_id", .string(example.runID)), ("step", .string(example.stepID)),
            ("item", .int(example.iteration)), ("attempt_row", .int(example.attemptRow)), ("review_row", .int(example.reviewRow)),
            ("edited", .bool(example.edited)),
        ])
    }

    /// `3 runs, 5 outputs; left out: 1 duplicate, 1 rejected`.
    static func summary(_ c: DatasetExport.Counts) -> String {
        let left = [(c.duplicates, "duplicate", "duplicates"), (c.rejected, "rejected", "rejected"), (c.unapproved, "not approved", "not approved"),
                    (c.renderedPrompts, "local-model prompt without messages", "local-model prompts without messages")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        return "\(c.runs) run\(c.runs == 1 ? "" : "s"), \(c.outputs) output\(c.outputs == 1 ? "" : "s")"
            + (c.edited > 0 ? ", \(c.edited) edited by a reviewer" : "") + (left.isEmpty ? "" : "; left out: " + left.joined(separator: ", "))
    }
}

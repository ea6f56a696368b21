import CommandKit
import Foundation
import Audit
import Engine
import Template
import Workflow

/// `baton review`: the review inbox, what a review shows, and the decision.
struct ReviewCommand: Command {
    static let name = "review"
    static let abstract = "List, read and decide the reviews runs wait for."
    /// `baton review list`.
    static let listOptions = OptionTable("baton review list", [.flag("json", help: "(list) One JSON array."), .store])
    /// `baton review show RUN STEP`.
    static let showOptions = OptionTable("baton review show", [.positional("RUN"), .positional("STEP"), .store])
    /// `baton review RUN STEP`: the decision.
    static let decideOptions = OptionTable("baton review", [
        .positional("RUN"),
        .positional("STEP"),
        .oneOf([
            .flag("approve", help: "Approve the text as shown."),
            .option("edit", value: "FILE", help: "Approve FILE's text instead (- reads stdin)."),
            .flag("reject", help: "Reject; --note says why."),
        ]),
        .option("note", value: "TEXT", help: "The reviewer's note."),
        .option("as", value: "NAME", help: "Who decides (default: $BATON_REVIEWER, else $USER). Must be one of the step's 'reviewers' when it lists any."),
        .flag("continue", help: "Resume the run at once ('baton resume RUN' with the options that follow: --out, --model, --concurrency, --json)."),
        .store,
    ])
    /// The three forms' usage lines, from their tables.
    static let usage = [listOptions, showOptions, decideOptions].map(\.usage).joined(separator: "\n")
        .replacingOccurrences(of: "\nUSAGE: ", with: "\n       ")
        .replacingOccurrences(of: "[--continue]", with: "[--continue [RESUME OPTIONS]]")
    static let help = [
        usage,
        """
        A run that reaches a 'kind: review' step stops with status 'waiting' and records what the
        reviewer reads. 'list' shows every review nobody has decided yet; 'show' prints one with
        its history. Deciding records who, when, the action, the note and the text (before and
        after for --edit) in the audit store's review chain; 'baton audit verify' checks it.

        After a decision, 'baton resume RUN' (or --continue) continues the same run: the steps
        before the review keep their outputs, an approved review's output is the text shown (or
        the edited text), and the steps after it run, recorded in the run's own chain. A rejection
        fails the step, or, with 'on_reject: { redo: STEP }', runs STEP again with the note as
        review.note. 'baton serve' and 'baton scheduler' continue decided runs themselves, and
        apply a review's 'timeout' ('on_timeout', else a rejection); 'list' applies it too.
        """,
        "OPTIONS:\n" + decideOptions.adding(listOptions.arguments.filter { $0.name == "json" }).optionLines(),
        """
        EXIT STATUS: 0 on success, 1 when the review cannot be decided or the resumed run fails,
        64 on a usage error.
        """,
    ].joined(separator: "\n\n")

    static func run(_ arguments: [String]) async throws -> Int32 {
        switch arguments.first {
        case "list"?: return try list(Array(arguments.dropFirst()))
        case "show"?: return try show(Array(arguments.dropFirst()))
        default: return try await decide(arguments)
        }
    }

    static func list(_ arguments: [String]) throws -> Int32 {
        let parsed = try listOptions.parse(arguments, usage: usage)
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        var pending: [ReviewRecord] = []
        var workflows: [String: String] = [:]
        do {
            // Reviews whose `timeout` passed take their decision first, so they leave the list
            // (a read-only store is only read).
            let path = AuditStore.resolvePath(option: parsed.value("db"))
            let store: AuditStore
            if let writable = try? AuditStore(path: path, create: false) {
                store = writable
                for decided in try ReviewSweep.pass(store: store).timedOut {
                    printError("timed out: " + ReviewPresentation.line(decided) + "; continue with: baton resume \(decided.runID)")
                }
            } else {
                store = try AuditPresentation.openStore(parsed)
            }
            pending = try store.pendingReviews()
            for review in pending where workflows[review.runID] == nil { workflows[review.runID] = try store.run(id: review.runID)?.workflow }
        } catch AuditError.noStore {
            // No store yet simply means nothing waits.
        }
        if parsed.flag("json") {
            printOut(OutputJSON.array(pending.map { review in
                .object([("workflow", .string(workflows[review.runID]))] + ReviewPresentation.fields(review))
            }).rendered())
            return 0
        }
        if pending.isEmpty {
            printError("no reviews are waiting")
            return 0
        }
        var rows = [["RUN", "WORKFLOW", "STEP", "ROUND", "REQUESTED (UTC)", "DEADLINE (UTC)"]]
        for review in pending {
            rows.append([review.runID, workflows[review.runID] ?? "?", review.stepID, String(review.round), AuditTime.format(review.recordedAt),
                         ReviewResume.deadline(of: review).map(AuditTime.format) ?? "-"])
        }
        printOut(TextTable.format(rows))
        return 0
    }

    static func show(_ arguments: [String]) throws -> Int32 {
        let parsed = try showOptions.parse(arguments, usage: usage)
        guard parsed.positionals.count == 2 else { throw UsageError(message: "'baton review show' needs RUN and STEP", usage: usage) }
        let store = try AuditPresentation.openStore(parsed)
        let run = try store.resolveRun(parsed.positionals[0])
        let step = parsed.positionals[1]
        let rows = try store.reviews(run: run.id).filter { $0.stepID == step }
        guard let request = rows.last(where: { $0.event == .requested }) else {
            printError("error: run \(run.id) has no review of step '\(step)'")
            return 1
        }
        let decision = rows.first { $0.round == request.round && $0.event.isDecision }
        printOut("run \(run.id) · \(run.workflow) · step \(step) · round \(request.round) · \(decision.map { $0.event.rawValue } ?? "waiting")")
        if let details = request.detailsJSON { printOut("request   \(details)") }
        printOut("")
        printOut(request.shownText)
        printOut("")
        printOut("history:")
        for row in rows { printOut("  " + ReviewPresentation.line(row)) }
        return 0
    }

    static func decide(_ arguments: [String]) async throws -> Int32 {
        // Everything after --continue belongs to `baton resume`.
        let split = arguments.firstIndex(of: "--continue")
        let own = split.map { Array(arguments[..<$0]) } ?? arguments
        let resumeOptions = split.map { Array(arguments[arguments.index(after: $0)...]) } ?? []
        let parsed = try decideOptions.parse(own, usage: usage)
        guard parsed.positionals.count == 2 else {
            throw UsageError(message: "'baton review' needs RUN and STEP (or 'list', 'show RUN STEP')", usage: usage)
        }
        let chosen = [parsed.flag("approve") ? "approve" : nil, parsed.value("edit") != nil ? "edit" : nil, parsed.flag("reject") ? "reject" : nil]
            .compactMap { $0 }
        guard chosen.count == 1, let action = chosen.first else {
            throw UsageError(message: "give exactly one of --approve, --edit FILE, --reject", usage: usage)
        }
        let environment = ProcessInfo.processInfo.environment
        let reviewer = parsed.value("as") ?? environment["BATON_REVIEWER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["USER"] ?? "unknown"
        var edited: String?
        if let file = parsed.value("edit") {
            do {
                edited = try InputBinding.readTextFile(file)
            } catch {
                printError("error: cannot read '\(file)' for --edit: \(InputBinding.describe(error))")
                return 1
            }
        }
        // A decision is written, so the store is opened for writing (never created here).
        let store = try AuditStore(path: AuditStore.resolvePath(option: parsed.value("db")), create: false)
        let run = try store.resolveRun(parsed.positionals[0])
        let step = parsed.positionals[1]
        guard let request = try store.reviews(run: run.id).last(where: { $0.stepID == step && $0.event == .requested }) else {
            printError("error: run \(run.id) has no review of step '\(step)'")
            return 1
        }
        let details: Value? = request.detailsJSON.flatMap { try? Value(json: Data($0.utf8)) }
        if case .dict(let fields)? = details {
            if case .list(let allowed)? = fields["reviewers"], !allowed.isEmpty, !allowed.contains(.string(reviewer)) {
                let names = allowed.compactMap { if case .string(let name) = $0 { name } else { nil } }
                printError("error: '\(reviewer)' may not review step '\(step)' (reviewers: \(names.joined(separator: ", "))); give --as NAME")
                return 1
            }
            if case .list(let actions)? = fields["actions"], !actions.contains(.string(action)) {
                printError("error: step '\(step)' does not allow '\(action)' (actions: \(actions.map { $0.jsonString() }.joined(separator: ", ")))")
                return 1
            }
        }
        let event: ReviewEvent = action == "approve" ? .approved : action == "edit" ? .edited : .rejected
        let decision = ReviewRecord(runID: run.id, stepID: step, round: request.round, event: event, reviewer: reviewer,
                                    note: parsed.value("note"), shownText: request.shownText,
                                    beforeText: edited == nil ? nil : request.shownText, afterText: edited)
        let recorded = try store.appendReview(decision)
        printError("recorded: " + ReviewPresentation.line(recorded))
        guard split != nil else {
            printError("continue the run with: baton resume \(run.id)")
            return 0
        }
        var forwarded = [run.id] + resumeOptions
        if let db = parsed.value("db"), !resumeOptions.contains("--db") { forwarded += ["--db", db] }
        return try await ResumeCommand.run(forwarded)
    }
}

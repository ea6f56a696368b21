import CommandKit
import Foundation
import Audit
import Engine
import Template
import Workflow

/// `baton resume`: finishes a failed, cancelled or interrupted run without redoing finished work.
struct ResumeCommand: TableCommand {
    static let abstract = "Finish a failed, cancelled or interrupted run, reusing finished steps."
    static let options = OptionTable("baton resume", [
        .positional("RUN"),
        .option("input", value: "KEY=VALUE", help: "Replace an input value (needed for secret inputs).", repeatable: true),
        .approveAll,
    ]).adding(RunSession.arguments)
    static let discussion = """
        Starts a new run (trigger 'resume', parent RUN) of the workflow version RUN ran, with RUN's
        inputs (a 'waiting' run goes on in place instead, see below). Every step and for_each item that succeeded in RUN (or in the runs it resumed) is
        reused as it is, without calling the model again; failed, cancelled and never-started
        steps and items run. RUN may be an id prefix. Inputs declared secret are stored as '***'
        and must be given again with --input. Relative paths written in the workflow resolve
        against the folder the workflow file lay in when RUN started, from any working directory
        (a run recorded before Baton kept that folder: against the working directory).

        A 'waiting' run goes on in the same run once its reviews are decided ('baton review RUN
        STEP ...'): its finished steps are kept, an approved review's text is its output and the
        steps after it run; a rejection with 'on_reject: { redo: STEP }' runs STEP and the steps up
        to the review again. A review whose 'timeout' passed takes its 'on_timeout' decision
        (recorded by 'timeout'). Only one process continues a run ('baton serve' and
        'baton scheduler' continue decided runs themselves).
        """
    static let epilogue = "EXIT STATUS: 0 when the run succeeded (or waits for another review), 1 otherwise, 64 on a usage error."

    /// Whether a string given on the command line says the same as a stored value (`3` and the
    /// integer 3, `true` and the boolean).
    static func same(_ stored: Value, _ given: Value) -> Bool {
        if stored == given { return true }
        guard case .string(let text) = given else { return false }
        switch stored {
        case .string(let other): return other == text
        case .int(let number): return Int(text) == number
        case .double(let number): return Double(text) == number
        case .bool(let flag): return text == (flag ? "true" : "false")
        default: return false
        }
    }

    /// A `waiting` run goes on in place once its reviews are decided (timeouts applied here):
    /// the same run id, its finished steps kept, the steps after the review appended to its chain.
    static func continueInPlace(_ run: RunRecord, workflow: Workflow, inputs: [String: Value], store: AuditStore,
                                configuration: EngineConfiguration, json: Bool) async throws -> Int32 {
        let continuation: RunContinuation
        do {
            continuation = try RunContinuation.prepare(run, workflow: workflow, inputs: inputs, store: store)
        } catch {
            if case .undecided(_, let timedOut) = error {
                for decided in timedOut { printError("timed out: " + ReviewPresentation.line(decided)) }
            }
            printError("error: \(error)")
            return 1
        }
        for decided in continuation.timedOut { printError("timed out: " + ReviewPresentation.line(decided)) }
        let engine = Engine(workflow: workflow, store: store, configuration: continuation.configuration(from: configuration))
        printError("continuing run \(run.id) (waiting): \(continuation.reuse.count) finished steps and items kept")
        return await RunSession.execute(engine, inputs: inputs, trigger: .resume, parentRunID: nil, reuse: [], continuation: continuation, json: json)
    }

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.count == 1, let runName = parsed.positionals.first else {
            throw UsageError(message: "'baton resume' needs one RUN id", usage: usage)
        }
        var configuration = try RunSession.configuration(parsed, usage: usage)
        configuration.reviews.approveAll = ReviewOptions.approveAll(parsed)
        do {
            let store = try AuditStore(path: AuditStore.resolvePath(option: parsed.value("db")), create: false)
            _ = try store.finishInterruptedRuns()
            let previous = try store.resolveRun(runName)
            switch previous.status {
            case .running:
                printError("error: run \(previous.id) is still running (process \(previous.pid.map(String.init) ?? "?") on \(previous.host ?? "?"))")
                return 1
            case .succeeded:
                printError("run \(previous.id) already succeeded; nothing to resume")
                return 0
            case .failed, .cancelled, .interrupted, .waiting:
                break
            }
            let workflow = try StoredWorkflow.load(previous)
            try RunSession.checkModelOverrides(configuration, workflow: workflow, usage: usage)
            let stored = try StoredInputs(previous)
            var inputs = stored.values
            for argument in parsed.values("input") {
                guard let assignment = InputBinding.Assignment(parsing: argument), workflow.input(assignment.name) != nil else {
                    throw UsageError(message: "--input takes KEY=VALUE for an input of '\(workflow.name)', not '\(argument)'", usage: usage)
                }
                var text = assignment.text
                if assignment.fromFile {
                    do {
                        text = try InputBinding.readTextFile(assignment.text)
                    } catch {
                        printError("error: cannot read '\(assignment.text)' for input '\(assignment.name)': \(InputBinding.describe(error))")
                        return 1
                    }
                }
                let value = Value.string(text)
                // Only a secret the store could not keep may be given; any other change would sit
                // beside reused outputs made from the old value.
                if let old = inputs[assignment.name], old != .string(SecretMasker.mask), !Self.same(old, value) {
                    printError("error: input '\(assignment.name)' differs from run \(previous.id)'s (\(old.jsonString()) there); resume only finishes a run with its own inputs. To run again with the change: baton rerun \(previous.id) --input \(argument)")
                    return 64
                }
                inputs[assignment.name] = value
            }
            for name in workflow.secretInputNames.sorted() where inputs[name] == .string(SecretMasker.mask) {
                printError("error: input '\(name)' is secret and was not stored; give it again with --input \(name)=...")
                return 1
            }
            if previous.status == .waiting {
                return try await continueInPlace(previous, workflow: workflow, inputs: inputs, store: store, configuration: configuration,
                                           json: parsed.flag("json"))
            }
            let reuse = try store.latestSucceededAttempts(run: previous.id)
            let engine = Engine(workflow: workflow, store: store, configuration: configuration)
            printError("resuming run \(previous.id) (\(previous.status.rawValue)): \(reuse.count) finished steps and items reused")
            return await RunSession.execute(engine, inputs: inputs, trigger: .resume, parentRunID: previous.id, reuse: reuse, json: parsed.flag("json"))
        } catch let error as UsageError {
            throw error
        } catch {
            printError(ErrorReport.line(for: error))
            return 1
        }
    }
}

import Audit
import CommandKit
import Engine
import Providers
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Template
import Workflow

/// `baton bench engine`: what the engine adds per step, and whether a `for_each` keeps
/// `--concurrency` requests in flight against a fast server.
struct EngineBench: TableCommand {
    static let abstract = "Engine: per-step overhead (template steps, audit rows included) and in-flight requests."
    static let options = OptionTable("baton bench engine", [
        .option("steps", value: "N", help: "Template steps in part 1.", default: "1000"),
        .option("items", value: "N", help: "for_each items in part 2.", default: "1000"),
        .option("concurrency", value: "N", help: "Requests in flight in part 2.", default: "8"),
        .option("delay", value: "MS", help: "The server's answer delay in part 2.", default: "20"),
        .timedRuns("repeat", value: "R", "Repetitions of part 1", default: 5),
        .option("server", value: "PATH", help: "fake_openai.py (default: found under Tests/ from the working directory)."),
    ])
    static let discussion = """
        1. Runs a generated workflow of N chained `template` steps (default 1000) R times against a
           fresh audit store and prints the median time per step, next to the same number of audit
           rows appended directly (the store's own cost) and the templates rendered alone.
        2. Runs a for_each of N items (default 1000) against the loopback OpenAI-compatible server
           (Tests/EngineTests/Server/fake_openai.py, python3), answering after --delay ms (default
           20), and prints the requests in flight as the server saw them: maximum and time-weighted
           average, against --concurrency (default 8). Skipped when python3 or the script is absent.
        """

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        let steps = try parsed.positiveCount("steps", usage: usage), items = try parsed.positiveCount("items", usage: usage)
        let concurrency = try parsed.positiveCount("concurrency", usage: usage), delay = try parsed.positiveCount("delay", usage: usage)
        let repetitions = try parsed.positiveCount("repeat", usage: usage)
        let folder = try BenchText.scratchFolder("engine")
        defer { try? FileManager.default.removeItem(at: folder) }

        var yaml = "baton: 1\nname: bench-chain\nsteps:\n  - { id: s0, kind: template, template: \"보도자료 0\" }\n"
        for index in 1..<steps {
            yaml += "  - { id: s\(index), kind: template, template: \"{{ steps.s\(index - 1).output | length }}번째 단계 \(index)\" }\n"
        }
        let workflow = try WorkflowLoader.load(source: yaml, file: "bench-chain.yaml")
        var engineTimes: [Double] = [], auditTimes: [Double] = [], renderTimes: [Double] = []
        for repetition in 0..<repetitions {
            let store = try AuditStore(path: folder.appendingPathComponent("engine-\(repetition).db").path)
            let engine = Engine(workflow: workflow, store: store, configuration: EngineConfiguration(output: OutputDirectory(folder.appendingPathComponent("out").path)))
            let start = ContinuousClock.now
            let result = try await engine.run(inputs: [:])
            engineTimes.append(BenchTiming.seconds(ContinuousClock.now - start) / Double(steps))
            guard result.status == .succeeded else {
                printError("error: the benchmark workflow failed: \(result.error ?? "?")")
                return 1
            }
            let direct = try AuditStore(path: folder.appendingPathComponent("audit-\(repetition).db").path)
            let run = try direct.startRun(NewRun(workflow: "bench-chain", workflowSource: yaml))
            let auditStart = ContinuousClock.now
            for index in 0..<steps {
                let now = Date()
                _ = try direct.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "s\(index)", kind: "template", status: .succeeded,
                                                               outputText: "\(index)번째 단계 \(index)", latencyMs: 0, startedAt: now, finishedAt: now))
            }
            try direct.finishRun(id: run.id, status: .succeeded)
            auditTimes.append(BenchTiming.seconds(ContinuousClock.now - auditStart) / Double(steps))
            let renderStart = ContinuousClock.now
            for step in workflow.steps {
                if case .template(let action) = step.action {
                    _ = try? action.template.render(["steps": .dict(["s\(max(0, steps - 1))": .dict(["output": "x"])])])
                }
            }
            renderTimes.append(BenchTiming.seconds(ContinuousClock.now - renderStart) / Double(steps))
        }
        let perStep = BenchTiming.median(engineTimes), perRow = BenchTiming.median(auditTimes), perRender = BenchTiming.median(renderTimes)
        printOut("engine overhead: \(steps) chained template steps x \(repetitions) (medians, per step)")
        printOut(TextTable.format([
            ["", "PER STEP", "VS AUDIT ROW"],
            ["engine run (audit rows included)", format(perStep), String(format: "%.2fx", perStep / max(perRow, 1e-9))],
            ["audit row appended directly", format(perRow), "1.00x"],
            ["template render alone", format(perRender), String(format: "%.2fx", perRender / max(perRow, 1e-9))],
        ]))
        printOut("target: under 0.300 ms per step: \(perStep * 1000 < 0.3 ? "met" : "NOT met") (\(format(perStep)))")
        printOut("")
        return try await inFlight(items: items, concurrency: concurrency, delay: delay, folder: folder, script: parsed.value("server"))
    }

    /// Part 2: a for_each against the loopback server, in-flight requests as it counted them.
    static func inFlight(items: Int, concurrency: Int, delay: Int, folder: URL, script: String?) async throws -> Int32 {
        let path = script ?? FileManager.default.currentDirectoryPath + "/Tests/EngineTests/Server/fake_openai.py"
        guard FileManager.default.fileExists(atPath: path) else {
            printOut("in-flight: skipped, \(path) not found (run from the repository root or pass --server PATH)")
            return 0
        }
        let configURL = folder.appendingPathComponent("server.json")
        try Data(#"{"delay": \#(Double(delay) / 1000)}"#.utf8).write(to: configURL)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", path, "--config", configURL.path]
        let pipe = Pipe()
        server.standardOutput = pipe
        try server.run()
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            printOut("in-flight: skipped, the server did not start (\(text))")
            return 0
        }
        let yaml = """
            baton: 1
            name: bench-inflight
            inputs:
              items: { type: list }
            models:
              remote: { provider: openai, base_url: "http://127.0.0.1:\(port)/v1", model: fake-model }
            defaults: { model: remote }
            steps:
              - { id: each, kind: generate, for_each: "{{ inputs.items }}", prompt: "보도자료 {{ item }}" }
            """
        let workflow = try WorkflowLoader.load(source: yaml, file: "bench-inflight.yaml")
        let store = try AuditStore(path: folder.appendingPathComponent("inflight.db").path)
        let counter = InFlightCounter()
        var configuration = EngineConfiguration(output: OutputDirectory(folder.appendingPathComponent("out").path), concurrency: concurrency)
        configuration.makeModel = { spec, environment, configuration throws(ModelError) in
            CountingModel(inner: try EngineConfiguration.standardModelFactory(spec, environment, configuration), counter: counter)
        }
        let engine = Engine(workflow: workflow, store: store, configuration: configuration)
        let start = ContinuousClock.now
        let result = try await engine.run(inputs: ["items": .list((0..<items).map { .int($0) })])
        let wall = BenchTiming.seconds(ContinuousClock.now - start)
        guard let statsURL = URL(string: "http://127.0.0.1:\(port)/stats") else { return 1 }
        let (data, _) = try await URLSession.shared.data(from: statsURL)
        let stats = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let maximum = stats["max_in_flight"] as? Int ?? 0
        let average = stats["average_in_flight"] as? Double ?? 0
        printOut("in-flight: for_each of \(items) items, server answers after \(delay) ms, --concurrency \(concurrency)")
        printOut(TextTable.format([
            ["", "VALUE"],
            ["run status", result.status.rawValue],
            ["requests the server received", "\(stats["count"] as? Int ?? 0)"],
            ["wall time", String(format: "%.2f s (%.0f requests/s)", wall, Double(items) / wall)],
            ["ideal wall time at --concurrency", String(format: "%.2f s", Double(items) * Double(delay) / 1000 / Double(concurrency))],
            ["max in flight (engine)", "\(counter.maximum)"],
            ["average in flight (engine, time-weighted)", String(format: "%.2f", counter.average)],
            ["max in flight (server)", "\(maximum)"],
            ["average in flight (server, time-weighted)", String(format: "%.2f", average)],
        ]))
        printOut("max in flight equals --concurrency: engine \(counter.maximum == concurrency ? "yes" : "NO"), server \(maximum == concurrency ? "yes" : "NO")")
        return result.status == .succeeded ? 0 : 1
    }



    static func format(_ seconds: Double) -> String { String(format: "%.3f ms", seconds * 1000) }
}

/// Counts the requests the engine has in flight (maximum and time-weighted average).
final class InFlightCounter: Sendable {
    private struct State {
        var current = 0
        var maximum = 0
        /// In-flight count integrated over time, and the time anything was in flight.
        var area = 0.0
        var busy = 0.0
        var last: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    func change(_ delta: Int) {
        state.withLock { state in
            let now = ContinuousClock.now
            if let last = state.last, state.current > 0 {
                let span = BenchTiming.seconds(now - last)
                state.area += Double(state.current) * span
                state.busy += span
            }
            state.last = now
            state.current += delta
            state.maximum = max(state.maximum, state.current)
        }
    }

    var maximum: Int { state.withLock { $0.maximum } }
    var average: Double { state.withLock { $0.busy > 0 ? $0.area / $0.busy : 0 } }
}

/// A model that counts its calls in flight around another model.
struct CountingModel: LanguageModel {
    let inner: any LanguageModel
    let counter: InFlightCounter
    var identity: String { inner.identity }

    func complete(_ request: ModelRequest, onToken: (@Sendable (String) -> Void)?) async throws(ModelError) -> ModelResponse {
        counter.change(1)
        defer { counter.change(-1) }
        return try await inner.complete(request, onToken: onToken)
    }
}

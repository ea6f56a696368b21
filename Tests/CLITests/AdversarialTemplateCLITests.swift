import Foundation
import Testing
import TestSupport

/// Issue 18's template attack, regenerated: the adversarial corpus of
/// `Tests/TemplateTests/Fixtures/adversarial.json` (huge repetitions, padding and width filters
/// with huge arguments, `Int.min` edge cases, `'%1000000000d' % 1`, `replace('', huge)`, big loops,
/// deep nesting) through the real binary, one process per template: each is the template step of
/// a workflow previewed by `baton render case.yaml`, under the workflow's own
/// `defaults: render_budget: { time: 2s }` (the other limits keep their defaults). Each run ends
/// with a result (exit 0) or a clean error (exit 1, `case.yaml:LINE:COLUMN: error: ...` on stderr):
/// no signal, no hang. The 2 s time budget, not the default 30 s, is what keeps the runaway loops
/// of the corpus from dominating the test's time.
@Suite("Adversarial templates through the binary", .serialized)
struct AdversarialTemplateCLITests {
    static var corpus: URL {
        BatonProcess.repository.appendingPathComponent("Tests/TemplateTests/Fixtures/adversarial.json")
    }

    /// The workflow around one template: an input `x` for the templates that read it, a 2 s
    /// time budget, and the template as a JSON string (a valid YAML double-quoted scalar, so
    /// any text survives the trip).
    static func workflow(template: String) throws -> String {
        let quoted = String(decoding: try JSONSerialization.data(withJSONObject: [template], options: [.withoutEscapingSlashes]), as: UTF8.self)
            .dropFirst().dropLast()
        return """
            baton: 1
            name: adversarial
            inputs:
              x: { type: string, default: "" }
            defaults:
              render_budget: { time: 2s }
            steps:
              - { id: t, kind: template, template: \(quoted) }

            """
    }

    @Test("100 adversarial templates: baton render of a template step gives a result or an error at line:column, 0 signals, 0 hangs")
    func adversarialTemplatesNeverCrash() throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.corpus))
        let cases = try #require((object as? [String: Any])?["cases"] as? [[String: Any]])
        #expect(cases.count >= 76)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-adversarial-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var jobs: [(name: String, folder: URL)] = []
        for (index, c) in cases.enumerated() {
            let name = try #require(c["name"] as? String)
            let caseFolder = folder.appendingPathComponent("\(index)")
            try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
            try Data(Self.workflow(template: Self.expand(c["template"] as Any)).utf8).write(to: caseFolder.appendingPathComponent("case.yaml"))
            jobs.append((name, caseFolder))
        }
        let tally = TemplateTally()
        let all = jobs
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for (i, job) in all.enumerated() where i % 2 == worker {
                tally.add(job.name, Self.render(job.folder, timeout: 30))
            }
        }
        let counts = tally.counts
        print("adversarial templates, baton render (time budget 2 s): \(counts.results) results, \(counts.errors) clean errors, \(counts.signals) signals, \(counts.hangs) hangs, \(counts.other) other; slowest \(String(format: "%.2f", counts.slowest)) s")
        #expect(counts.signals == 0 && counts.hangs == 0 && counts.other == 0, "\(tally.failures)")
        #expect(counts.results + counts.errors == cases.count)
    }

    @Test("a workflow's defaults: render_budget: bounds its templates, in a run and in a preview; without it the same step succeeds")
    func workflowRenderBudget() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-render-budget-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let step = "steps:\n  - { id: a, kind: template, template: \"{{ '가' * 500 }}\" }\n"
        try ("baton: 1\nname: small\ndefaults:\n  render_budget: { output_bytes: 1000, steps: 100, time: 5s }\n" + step)
            .write(to: folder.appendingPathComponent("small.yaml"), atomically: true, encoding: .utf8)
        try ("baton: 1\nname: standard\n" + step).write(to: folder.appendingPathComponent("standard.yaml"), atomically: true, encoding: .utf8)
        try ("baton: 1\nname: bad\ndefaults:\n  render_budget: { output_bytes: 0, seconds: 5 }\n" + step)
            .write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)

        let small = try BatonProcess.run(["run", "small.yaml"], directory: folder)
        #expect(small.status == 1)
        #expect((small.stdout + small.stderr).contains("a string of 1500 bytes is larger than the render budget allows (1000 bytes, defaults.render_budget.output_bytes)"), "\(small.stdout)\(small.stderr)")
        // The preview renders under the same budget as the run.
        let preview = try BatonProcess.run(["render", "small.yaml"], directory: folder)
        #expect(preview.status == 1)
        #expect(preview.stderr.contains("small.yaml:"), "\(preview.stderr)")
        #expect(preview.stderr.contains("a string of 1500 bytes is larger than the render budget allows (1000 bytes, defaults.render_budget.output_bytes)"), "\(preview.stderr)")
        let standard = try BatonProcess.run(["run", "standard.yaml"], directory: folder)
        #expect(standard.status == 0, "\(standard.stderr)")
        let bad = try BatonProcess.run(["validate", "bad.yaml"], directory: folder)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:4:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("'output_bytes'"), "\(bad.stderr)")
        #expect(bad.stderr.contains("'seconds'"), "\(bad.stderr)")
    }

    static func expand(_ part: Any) throws -> String {
        if let text = part as? String { return text }
        if let parts = part as? [Any] { return try parts.map(expand).joined() }
        if let repeated = part as? [String: Any], let text = repeated["repeat"] as? String, let times = repeated["times"] as? Int {
            return String(repeating: text, count: times)
        }
        throw CocoaError(.fileReadCorruptFile)
    }

    enum Outcome { case result, cleanError, unclearError(String), signal(Int32), hang, exit(Int32), failedToStart }

    /// Runs `baton render case.yaml` in `folder`; stdout and stderr go to files there (a pipe
    /// could fill and block a child printing megabytes).
    static func render(_ folder: URL, timeout: Double) -> (Outcome, Double) {
        let stdout = folder.appendingPathComponent("stdout"), stderr = folder.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        FileManager.default.createFile(atPath: stderr.path, contents: nil)
        guard let out = try? FileHandle(forWritingTo: stdout), let err = try? FileHandle(forWritingTo: stderr) else { return (.failedToStart, 0) }
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["render", "case.yaml"]
        process.currentDirectoryURL = folder
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = Date()
        do { try Spawn.run(process) } catch { return (.failedToStart, 0) }
        while process.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return (.hang, timeout)
            }
            usleep(2000)
        }
        let elapsed = Date().timeIntervalSince(start)
        if process.terminationReason == .uncaughtSignal { return (.signal(process.terminationStatus), elapsed) }
        switch process.terminationStatus {
        case 0: return (.result, elapsed)
        case 1:
            let text = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
            let clean = text.range(of: #"(?m)^case\.yaml:[0-9]+:[0-9]+: error: "#, options: .regularExpression) != nil
            return (clean ? .cleanError : .unclearError(String(text.prefix(300))), elapsed)
        case let status: return (.exit(status), elapsed)
        }
    }
}

/// The outcomes of the runs, counted across the two workers.
final class TemplateTally: @unchecked Sendable {
    // @unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var results = 0, errors = 0, signals = 0, hangs = 0, other = 0, slowest = 0.0
    private(set) var failures: [String] = []

    func add(_ name: String, _ run: (AdversarialTemplateCLITests.Outcome, Double)) {
        lock.lock(); defer { lock.unlock() }
        slowest = max(slowest, run.1)
        switch run.0 {
        case .result: results += 1
        case .cleanError: errors += 1
        case .unclearError(let text): other += 1; failures.append("\(name): error without line:column: \(text)")
        case .signal(let signal): signals += 1; failures.append("\(name): signal \(signal)")
        case .hang: hangs += 1; failures.append("\(name): hang")
        case .exit(let status): other += 1; failures.append("\(name): exit \(status)")
        case .failedToStart: other += 1; failures.append("\(name): did not start")
        }
    }

    var counts: (results: Int, errors: Int, signals: Int, hangs: Int, other: Int, slowest: Double) {
        lock.lock(); defer { lock.unlock() }
        return (results, errors, signals, hangs, other, slowest)
    }
}

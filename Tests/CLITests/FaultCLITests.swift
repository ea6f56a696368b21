import Base
import Foundation
import Testing
import TestSupport

/// Issue 18 item 5: faults as a user meets them, against the real `baton` binary. SIGKILL at
/// seeded random moments of a chain and of a `for_each` batch, then `baton resume`: no finished
/// step is sent to the server again and `baton audit verify` passes every time. Six processes
/// writing one store at once lose nothing and never show `database is locked`. A truncated store
/// and a store on read-only media give clear errors. Each test prints its figures.
@Suite(.serialized) struct FaultCLITests {
    static func baton(_ arguments: [String], in folder: URL) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: folder)
    }

    /// The workflow of trial `trial`: a chain of four steps, or a batch of eight items; every
    /// unit's prompt is unique to the trial, so the server's log counts each unit's requests.
    static func workflow(trial: Int, batch: Bool, server: URL) -> (yaml: String, prompts: [String: String]) {
        var yaml = """
            baton: 1
            name: fault-\(trial)
            models:
              remote: { provider: openai, base_url: "\(server.absoluteString)", model: fake-model }
            defaults: { model: remote, concurrency: 2 }
            steps:

            """
        var prompts: [String: String] = [:]
        if batch {
            let items = (0..<8).map { "i\($0)" }
            yaml += "  - { id: each, kind: generate, for_each: [\(items.joined(separator: ", "))], prompt: \"t\(trial) 항목 {{ item }}\" }\n"
            for (index, item) in items.enumerated() { prompts["each[\(index)]"] = "t\(trial) 항목 \(item)" }
        } else {
            for step in 1...4 {
                let after = step == 1 ? "" : " {{ steps.s\(step - 1).status }}"
                yaml += "  - { id: s\(step), kind: generate, prompt: \"t\(trial) 단계 \(step)\(after)\" }\n"
                prompts["s\(step)"] = "t\(trial) 단계 \(step)" + (step == 1 ? "" : " succeeded")
            }
        }
        return (yaml, prompts)
    }

    /// Starts `baton run w.yaml` in `folder` (its own audit database there), waits as `until`
    /// says, then SIGKILLs it: a crash at that moment, with no chance to clean up.
    static func runKilled(in folder: URL, until wait: () -> Void) throws {
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["run", "w.yaml"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["BATON_DB": ""]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Spawn.run(process)
        wait()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @Test func killedAtTwentyRandomMomentsResumeRepeatsNoFinishedStep() throws {
        let server = try FakeOpenAIServer(config: #"{"delay": 0.04}"#)
        var random = SeededGenerator(seed: 18_005)  // seeded: the same kill moments every run
        let started = Date()
        var killedBeforeRun = 0, killedMidRun = 0, finishedBeforeKill = 0, finishedUnits = 0, repeated: [String] = [], verified = 0
        for trial in 0..<20 {
            let folder = try TemporaryFolder.make("fault-kill")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (yaml, prompts) = Self.workflow(trial: trial, batch: trial % 2 == 1, server: server.baseURL)
            try yaml.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
            let pause = Double.random(in: 0.02...0.45, using: &random)
            try Self.runKilled(in: folder) { Thread.sleep(forTimeInterval: pause) }

            let listed = try Self.baton(["runs", "--json"], in: folder)
            let runs = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
            guard let run = runs.first, let runID = run["id"] as? String else {
                killedBeforeRun += 1  // killed before the run was recorded: nothing to resume
                continue
            }
            if run["status"] as? String == "succeeded" { finishedBeforeKill += 1 } else { killedMidRun += 1 }
            let shown = try Self.baton(["show", runID, "--json"], in: folder)
            let steps = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])["steps"] as? [[String: Any]]
            let finished = (steps ?? []).filter { $0["status"] as? String == "succeeded" }.compactMap { step -> String? in
                guard let id = step["id"] as? String else { return nil }
                return prompts[(step["iteration"] as? Int).map { "\(id)[\($0)]" } ?? id]
            }
            finishedUnits += finished.count
            let before = server.prompts()
            let resumed = try Self.baton(["resume", runID], in: folder)
            #expect(resumed.status == 0, "trial \(trial): \(resumed.stderr)")
            let after = server.prompts()
            for prompt in finished where after.filter({ $0 == prompt }).count > before.filter({ $0 == prompt }).count {
                repeated.append("trial \(trial): \(prompt)")
            }
            let verify = try Self.baton(["audit", "verify"], in: folder)
            #expect(verify.status == 0, "trial \(trial): \(verify.stdout)\(verify.stderr)")
            if verify.status == 0 { verified += 1 }
        }
        print("kill/resume: 20 SIGKILLs (10 chains, 10 batches) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \(killedMidRun) mid-run, \(finishedBeforeKill) after the run finished, \(killedBeforeRun) before it was recorded; \(finishedUnits) finished units at the kills, \(repeated.count) requested again; audit verify ok \(verified)/\(20 - killedBeforeRun)")
        #expect(repeated == [])
        #expect(verified == 20 - killedBeforeRun)
        #expect(killedMidRun >= 5, "the kill moments should mostly fall inside runs")
    }

    /// Issue 19 item 12: two `baton resume` of one interrupted run started together: one runs
    /// the unfinished units, the other is refused, and no unit is requested twice.
    @Test func twoResumesOfOneRunAtOnceRunItOnce() throws {
        let server = try FakeOpenAIServer(config: #"{"delay": 0.15}"#)
        let folder = try TemporaryFolder.make("fault-resume-twice")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (yaml, prompts) = Self.workflow(trial: 99, batch: true, server: server.baseURL)
        try yaml.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        try Self.runKilled(in: folder) {
            for _ in 0..<200 where server.requestCount < 3 { Thread.sleep(forTimeInterval: 0.02) }
        }
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(try Self.baton(["runs", "--json"], in: folder).stdout.utf8)) as? [[String: Any]])
        let runID = try #require(runs.first?["id"] as? String)

        let results = Lines()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let resumed = try Self.baton(["resume", runID], in: folder)
                results.add("\(resumed.status) \(resumed.stderr.split(separator: "\n").last ?? "")")
            } catch {
                results.add("failed to start: \(error)")
            }
        }
        let outcomes = results.list.sorted()
        print("two resumes at once: " + outcomes.joined(separator: " | "))
        #expect(outcomes.count == 2)
        #expect(outcomes.first?.hasPrefix("0 ") == true)
        #expect(outcomes.last?.hasPrefix("1 error: run '\(runID)' is already being resumed by run '") == true)
        let counts = Dictionary(server.prompts().map { ($0, 1) }, uniquingKeysWith: +)
        #expect(prompts.values.allSatisfy { counts[$0] == 1 || counts[$0] == 2 }, "\(counts)")  // 2: the one in flight at the kill
        #expect(counts.values.reduce(0, +) <= prompts.count + 2)
    }

    @Test func sixProcessesWritingOneStoreLoseNothing() throws {
        let folder = try TemporaryFolder.make("fault-concurrent")
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            baton: 1
            name: busy
            inputs:
              n: { type: string }
            steps:
              - { id: note, kind: template, template: "기록 {{ inputs.n }}" }
              - { id: save, kind: write, path: "{{ inputs.n }}.txt", content: "{{ steps.note.output }}" }
            """.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let script = """
            for p in 1 2 3 4 5 6; do
              ( for i in $(seq 1 20); do
                  "$BATON" run w.yaml --input n=p$p-$i > /dev/null 2>> "err-$p.txt" || echo "p$p-$i" >> failed.txt
                done ) &
            done
            wait
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(["BATON": BatonProcess.executable.path, "BATON_DB": ""]) { $1 }
        let started = Date()
        try Spawn.run(process)
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(started)
        let failed = (try? String(contentsOf: folder.appendingPathComponent("failed.txt"), encoding: .utf8)) ?? ""
        var errors = ""
        for p in 1...6 { errors += (try? String(contentsOf: folder.appendingPathComponent("err-\(p).txt"), encoding: .utf8)) ?? "" }
        let listed = try Self.baton(["runs", "--json", "--limit", "1000"], in: folder)
        let runs = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        let verify = try Self.baton(["audit", "verify"], in: folder)
        let locked = errors.components(separatedBy: "database is locked").count - 1
        print("concurrency: 6 processes x 20 runs on one store in \(String(format: "%.1f", elapsed)) s: \(runs.count) runs recorded, \(runs.filter { $0["status"] as? String == "succeeded" }.count) succeeded, \(files.count) files, \(failed.split(separator: "\n").count) failed, 'database is locked' shown \(locked) times; \(verify.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
        #expect(failed == "")
        #expect(locked == 0)
        #expect(runs.count == 120)
        #expect(runs.allSatisfy { $0["status"] as? String == "succeeded" })
        #expect(files.count == 120)
        #expect(verify.status == 0)
        #expect(verify.stdout == "ok: 120 runs, 360 rows verified\n")  // per run: two attempts and one file
    }

    /// A store cut short is named as damaged by every command, and never crashes one.
    @Test func aTruncatedStoreIsAClearError() throws {
        let folder = try TemporaryFolder.make("fault-truncated")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "baton: 1\nname: t\nsteps:\n  - { id: a, kind: template, template: \"{{ 'x' * 5000 }}\" }\n"
            .write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        for _ in 0..<3 { #expect(try Self.baton(["run", "w.yaml"], in: folder).status == 0) }
        let store = folder.appendingPathComponent(".baton/baton.db")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: store)
        try handle.truncate(atOffset: UInt64(size / 2))
        try handle.close()
        var shown: [String] = []
        for arguments in [["runs"], ["show", "x"], ["audit", "verify"], ["run", "w.yaml"]] {
            let result = try Self.baton(arguments, in: folder)
            #expect(result.status == 1, "\(arguments): \(result.stdout)\(result.stderr)")
            let said = (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(said.contains("is not a usable audit store: SQLite reports the file damaged (database disk image is malformed)"), "\(arguments): \(said)")
            #expect(said.contains(store.path))
            shown.append("baton \(arguments.joined(separator: " ")): \(said.split(separator: "\n").last ?? "")")
        }
        print("truncated store (\(size) -> \(size / 2) bytes):\n  " + shown.joined(separator: "\n  "))
    }

    /// Whether this machine lets a test mount a folder read-only in its own namespace (root
    /// ignores permission bits, so a chmod cannot make a store read-only for it).
    static let canMountReadOnly: Bool = {
        guard let result = ChildProcess.run(["unshare", "-rm", "sh", "-c", "mkdir -p /tmp/baton-ro-probe && mount --bind -o ro /tmp/baton-ro-probe /tmp/baton-ro-probe && ! touch /tmp/baton-ro-probe/x"]) else { return false }
        return result.status == 0
    }()

    /// Issue 19 item 4: on a read-only mount, `runs`, `show`, `export` and `audit verify` read
    /// the store; `run` says the store is read-only.
    @Test(.enabled(if: canMountReadOnly, "needs unshare -rm and a bind mount (user namespaces)"))
    func aStoreOnReadOnlyMediaIsReadAndNotWritten() throws {
        let folder = try TemporaryFolder.make("fault-readonly")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "baton: 1\nname: ro\nsteps:\n  - { id: a, kind: template, template: \"읽기 전용\" }\n"
            .write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let run = try Self.baton(["run", "w.yaml", "--json"], in: folder)
        let runID = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["run_id"] as? String)
        let media = folder.appendingPathComponent(".baton").path
        let baton = BatonProcess.executable.path
        let script = """
            mount --bind -o ro '\(media)' '\(media)' || exit 99
            cd '\(folder.path)'
            '\(baton)' runs; echo "rc=$?"
            '\(baton)' show \(runID) > /dev/null; echo "rc=$?"
            '\(baton)' export \(runID) --format json > /dev/null; echo "rc=$?"
            '\(baton)' audit verify; echo "rc=$?"
            '\(baton)' run w.yaml 2>&1; echo "rc=$?"
            """
        let result = try #require(ChildProcess.run(["env", "BATON_DB=", "unshare", "-rm", "sh", "-c", script]))
        print("read-only store:\n" + result.output)
        let codes = result.output.split(separator: "\n").filter { $0.hasPrefix("rc=") }
        #expect(codes == ["rc=0", "rc=0", "rc=0", "rc=0", "rc=1"])
        #expect(result.output.contains(runID))
        #expect(result.output.contains("ok: 1 run, 1 row verified"))
        #expect(result.output.contains("is read-only (a read-only file system, or a file you may not write)"))
    }
}

/// Lines collected from several threads.
final class Lines: @unchecked Sendable {  // every access holds `lock`
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var list: [String] { lock.withLock { items } }
}

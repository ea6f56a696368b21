import Foundation
import Testing
import Audit
import TestSupport

/// `baton scheduler` as a process: usage, and a SIGKILL in the middle of a simulated day.
@Suite struct SchedulerCLITests {
    static let usage = "USAGE: baton scheduler [--workflows DIR] [--db PATH] [--once] [--grace DURATION] [--poll DURATION] [--dry-run] [--out DIR] [--concurrency N] [--model NAME=URL#MODEL]..."

    @Test func helpStartsWithTheUsage() throws {
        let result = try BatonProcess.run(["scheduler", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(Self.usage + "\n\nLoads every workflow in DIR"))
    }

    @Test(arguments: [
        (["scheduler", "extra"], "error: 'baton scheduler' takes no positional arguments (use --workflows DIR)"),
        (["scheduler", "--grace", "soon"], "error: --grace takes a duration like 30s, 2m or 1h, not 'soon'"),
        (["scheduler", "--poll", "0s"], "error: --poll must be longer than 0s"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) throws {
        let result = try BatonProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr == message + "\n" + Self.usage + "\n")
    }

    /// A fresh folder holding `workflows/FILE` (written from `yaml`) and the path its audit
    /// database `baton.db` will have.
    static func schedulerFolder(_ prefix: String, _ file: String, _ yaml: String) throws -> (root: URL, workflows: URL, database: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        let workflows = root.appendingPathComponent("workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: workflows.appendingPathComponent(file))
        return (root, workflows, root.appendingPathComponent("baton.db").path)
    }

    @Test func aMissingWorkflowsFolderFails() throws {
        let result = try BatonProcess.run(["scheduler", "--workflows", "/nonexistent/baton-workflows", "--db", "/tmp/unused-\(UUID().uuidString).db"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: the workflows folder '/nonexistent/baton-workflows' does not exist\n")
    }

    /// `--once --dry-run` twice, an hour apart (by BATON_SCHEDULER_CLOCK): the first pass starts
    /// watching, the second records the six missed 10-minute fire times (`catchup: all`) as runs
    /// without running any step.
    @Test func oncePassesWithDryRunRecordEveryMissedFireTime() throws {
        let (_, workflows, database) = try Self.schedulerFolder("baton-scheduler-once", "translate.yaml", """
            baton: 1
            name: 번역
            steps:
              - { id: note, kind: template, template: "번역 대기" }
            schedules:
              - { id: ten, cron: "*/10 * * * *", timezone: America/New_York, catchup: all }

            """)
        let arguments = ["scheduler", "--once", "--dry-run", "--workflows", workflows.path, "--db", database]
        let first = try BatonProcess.run(arguments, environment: ["BATON_SCHEDULER_CLOCK": "2026-11-30T00:05:00Z@1"])
        #expect(first.status == 0)
        #expect(try AuditStore(path: database, create: false).runs().isEmpty)
        let second = try BatonProcess.run(arguments, environment: ["BATON_SCHEDULER_CLOCK": "2026-11-30T01:05:00Z@1"])
        #expect(second.status == 0)
        let runs = try AuditStore(path: database, create: false).runs()
        #expect(runs.compactMap(\.scheduledFor).sorted().map(AuditTime.format) == (1...6).map { "2026-11-30T00:\($0)0:00.000Z".replacingOccurrences(of: "00:60", with: "01:00") })
        #expect(runs.allSatisfy { $0.status == .succeeded && $0.error == "dry run: no steps ran" && $0.trigger == .schedule })
        #expect(second.stderr.contains("caught up translate.yaml#ten for 2026-11-29T19:10:00-05:00 run "))
    }

    /// A running daemon (its clock 600x fast: a `*/10` schedule fires every real second, and
    /// `--poll 2m` is 0.2 real seconds) is
    /// SIGKILLed, restarted 20 simulated minutes later, and SIGTERMed: with `catchup: all` every
    /// 10-minute fire time from the first to the last has exactly one run in the audit store.
    @Test func aSIGKILLAndRestartLosesAndRepeatsNothing() throws {
        let (root, workflows, database) = try Self.schedulerFolder("baton-scheduler-cli", "check.yaml", """
            baton: 1
            name: 보도자료-점검
            steps:
              - { id: note, kind: template, template: "점검 완료" }
            schedules:
              - { id: ten, cron: "*/10 * * * *", timezone: Asia/Seoul, catchup: all, overlap: queue }

            """)
        let origin = try #require(AuditTime.parse("2026-11-30T00:00:30.000Z"))

        func start(_ origin: Date) throws -> Process {
            let process = Process()
            process.executableURL = BatonProcess.executable
            process.arguments = ["scheduler", "--workflows", workflows.path, "--db", database, "--poll", "2m", "--out", root.appendingPathComponent("out").path]
            var environment = ProcessInfo.processInfo.environment
            environment["BATON_SCHEDULER_CLOCK"] = AuditTime.format(origin) + "@600"
            process.environment = environment
            FileManager.default.createFile(atPath: root.appendingPathComponent("log-\(origin.timeIntervalSince1970).txt").path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: root.appendingPathComponent("log-\(origin.timeIntervalSince1970).txt"))
            process.standardOutput = FileHandle.nullDevice
            try Spawn.run(process)
            return process
        }
        func runCount() -> Int {
            ((try? AuditStore(path: database, create: false))).flatMap { try? $0.runs().count } ?? 0
        }
        func wait(untilRuns count: Int) {
            let deadline = Date().addingTimeInterval(30)
            while runCount() < count, Date() < deadline { usleep(50_000) }
        }

        let began = Date()
        let first = try start(origin)
        wait(untilRuns: 3)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let elapsed = Date().timeIntervalSince(began)
        let killedAt = runCount()
        #expect(killedAt >= 3)

        let second = try start(origin.addingTimeInterval((elapsed + 2) * 600))
        wait(untilRuns: killedAt + 4)
        kill(second.processIdentifier, SIGTERM)
        second.waitUntilExit()
        #expect(second.terminationReason == .exit)
        #expect(second.terminationStatus == 0)

        let runs = try AuditStore(path: database, create: false).runs()
        let times = runs.compactMap(\.scheduledFor).sorted()
        #expect(runs.allSatisfy { $0.trigger == .schedule && $0.workflow == "보도자료-점검" })
        #expect(times.count == runs.count)
        #expect(Set(times).count == times.count, "a fire time ran twice")
        let first10 = try #require(AuditTime.parse("2026-11-30T00:10:00.000Z"))
        #expect(times.first == first10)
        #expect(times == (0..<times.count).map { first10.addingTimeInterval(TimeInterval($0) * 600) }, "a fire time was lost")
        #expect(times.count >= killedAt + 4)
    }
}

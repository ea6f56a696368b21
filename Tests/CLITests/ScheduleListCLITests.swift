import Foundation
import Testing
import TestSupport

/// `baton schedule list` on real workflow files in a temporary folder.
struct ScheduleListCLITests {
    static let workflow = """
        baton: 1
        name: 주간-리포트
        steps:
          - id: hello
            kind: template
            template: "안녕하세요"
        schedules:
          - { id: weekly, cron: "0 9 * * MON", timezone: Asia/Seoul }
          - { cron: "30 2 * * *", timezone: America/New_York }
          - { cron: "@daily" }
        """

    static let unscheduled = """
        baton: 1
        name: plain
        steps:
          - id: hello
            kind: template
            template: "hi"
        """

    private func folder() throws -> URL {
        let url = try TemporaryFolder.make("schedule")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("Workflows"), withIntermediateDirectories: true)
        try Self.workflow.write(to: url.appendingPathComponent("Workflows/weekly.yaml"), atomically: true, encoding: .utf8)
        try Self.unscheduled.write(to: url.appendingPathComponent("Workflows/plain.yaml"), atomically: true, encoding: .utf8)
        return url
    }

    @Test func listShowsEverySchedule() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BatonProcess.run(["schedule", "list", "--from", "2026-03-07T12:00:00Z", "--count", "2"],
                                          environment: ["TZ": "Europe/London"], directory: directory)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            Workflows/plain.yaml (plain)
              no schedules
            Workflows/weekly.yaml (주간-리포트)
              weekly: "0 9 * * MON" in Asia/Seoul (timezone:)
                2026-03-09T09:00:00+09:00
                2026-03-16T09:00:00+09:00
              schedule-2: "30 2 * * *" in America/New_York (timezone:)
                2026-03-08T03:00:00-04:00
                2026-03-09T02:30:00-04:00
              schedule-3: "@daily" in Europe/London (this machine's zone)
                2026-03-08T00:00:00+00:00
                2026-03-09T00:00:00+00:00

            """)
    }

    @Test func listJSON() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BatonProcess.run(["schedule", "list", "Workflows/weekly.yaml", "--from", "2026-03-07T12:00:00Z",
                                           "--count", "1", "--json"], environment: ["TZ": "Asia/Seoul"], directory: directory)
        #expect(result.status == 0)
        #expect(result.stdout == """
            [{"file":"Workflows/weekly.yaml","schedules":[{"cron":"0 9 * * MON","id":"weekly","times":["2026-03-09T09:00:00+09:00"],"timezone":"Asia/Seoul","timezoneSource":"timezone:"},{"cron":"30 2 * * *","id":"schedule-2","times":["2026-03-08T03:00:00-04:00"],"timezone":"America/New_York","timezoneSource":"timezone:"},{"cron":"@daily","id":"schedule-3","times":["2026-03-08T00:00:00+09:00"],"timezone":"Asia/Seoul","timezoneSource":"this machine's zone"}],"workflow":"주간-리포트"}]

            """)
    }

    @Test func brokenWorkflowFailsWithItsDiagnostics() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: x\nname: y\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let result = try BatonProcess.run(["schedule", "list", "bad.yaml"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "bad.yaml:2:1: error: duplicate key 'name' (first defined at 1:1)\nname: y\n^\n")
    }

    /// A folder stands for its workflow files, as for `baton validate` (it failed with
    /// `NSCocoaErrorDomain error 256`).
    @Test func aFolderListsItsWorkflows() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--from", "2026-03-07T12:00:00Z", "--count", "1"]
        let whole = try BatonProcess.run(["schedule", "list"] + arguments, environment: ["TZ": "UTC"], directory: directory)
        for folder in ["Workflows", "Workflows/"] {
            let listed = try BatonProcess.run(["schedule", "list", folder] + arguments, environment: ["TZ": "UTC"], directory: directory)
            #expect(listed.status == 0, "\(listed.stderr)")
            #expect(listed.stdout == whole.stdout)
            #expect(listed.stdout.contains("Workflows/weekly.yaml (주간-리포트)"))
        }
    }

    @Test func listUsageErrors() throws {
        let result = try BatonProcess.run(["schedule", "list", "--count", "500"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: --count must be a number from 1 to 100, found '500'\nUSAGE: baton schedule list [<file-or-folder>...] [--from <time>] [--count <n>] [--json]\n")
    }
}

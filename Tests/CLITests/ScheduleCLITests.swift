import Foundation
import Testing

/// `baton schedule next` through the real binary, comparing whole outputs.
struct ScheduleCLITests {
    @Test func nextPrintsFireTimesInTheMachineZone() throws {
        let result = try BatonProcess.run(["schedule", "next", "0 9 * * MON-FRI", "--from", "2026-11-29T12:00", "--count", "3"],
                                          environment: ["TZ": "Asia/Seoul"])
        #expect(result.status == 0)
        #expect(result.stdout == "2026-11-30T09:00:00+09:00\n2026-12-01T09:00:00+09:00\n2026-12-02T09:00:00+09:00\n")
        #expect(result.stderr == "time zone: Asia/Seoul (this machine's zone)\n")
    }

    @Test func nextFollowsTheDaylightSavingRule() throws {
        let result = try BatonProcess.run(["schedule", "next", "30 1,2 * * *", "--timezone", "America/New_York",
                                           "--from", "2026-03-07T12:00:00-05:00", "--count", "3"])
        #expect(result.status == 0)
        #expect(result.stdout == "2026-03-08T01:30:00-05:00\n2026-03-08T03:00:00-04:00\n2026-03-09T01:30:00-04:00\n")
        #expect(result.stderr == "time zone: America/New_York (--timezone)\n")
        let fallBack = try BatonProcess.run(["schedule", "next", "30 1 * * *", "--timezone", "America/New_York",
                                             "--from", "2026-11-01T00:00:00-04:00", "--count", "2"])
        #expect(fallBack.stdout == "2026-11-01T01:30:00-04:00\n2026-11-01T01:30:00-05:00\n")
    }

    @Test func nextJSON() throws {
        let result = try BatonProcess.run(["schedule", "next", "@weekly", "--timezone", "UTC", "--from", "2026-01-01T00:00:00Z",
                                           "--count", "2", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout == """
            {"expression":"@weekly","from":"2026-01-01T00:00:00+00:00","times":["2026-01-04T00:00:00+00:00","2026-01-11T00:00:00+00:00"],"timezone":"UTC","timezoneSource":"--timezone"}

            """)
        #expect(result.stderr == "")
    }

    @Test func invalidExpressionPointsAtTheColumn() throws {
        let result = try BatonProcess.run(["schedule", "next", "0 25 * * *", "--timezone", "UTC"])
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == "error: invalid cron expression: hour value 25 is out of range 0-23\n  0 25 * * *\n    ^\n")
    }

    @Test func neverFiringExpressionSaysSo() throws {
        let result = try BatonProcess.run(["schedule", "next", "0 0 30 2 *", "--timezone", "UTC", "--from", "2026-01-01T00:00Z"])
        #expect(result.status == 0)
        #expect(result.stdout == "")
        #expect(result.stderr == "time zone: UTC (--timezone)\n'0 0 30 2 *' never fires\n")
    }

    static let usage = "USAGE: baton schedule next <cron> [--timezone <zone>] [--from <time>] [--count <n>] [--json]\n"

    @Test(arguments: [
        (["schedule", "next"], "error: missing cron expression\n"),
        (["schedule", "next", "0", "9", "*", "*", "*"], "error: expected one cron expression (quote it: \"0 9 * * MON\"), found 5 arguments\n"),
        (["schedule", "next", "@daily", "--timezone", "seoul"], "error: unknown time zone 'seoul' (did you mean 'Asia/Seoul'?)\n"),
        (["schedule", "next", "@daily", "--timezone", "Mars/Olympus"], "error: unknown time zone 'Mars/Olympus' (use an IANA name such as Asia/Seoul or America/New_York)\n"),
        (["schedule", "next", "@daily", "--from", "tomorrow"], "error: --from 'tomorrow' is not an ISO 8601 time like 2026-03-08T09:00:00+09:00\n"),
        (["schedule", "next", "@daily", "--count", "0"], "error: --count must be a number from 1 to 1000, found '0'\n"),
    ])
    func usageErrorsExit64(arguments: [String], expected: String) throws {
        let result = try BatonProcess.run(arguments)
        #expect(result.status == 64)
        #expect(result.stderr == expected + Self.usage)
    }

    @Test func helpListsOptions() throws {
        let result = try BatonProcess.run(["schedule", "next", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix(Self.usage))
        #expect(result.stdout.contains("--timezone <zone>"))
        let group = try BatonProcess.run(["schedule", "--help"])
        #expect(group.stdout.contains("  next        Print the next fire times of a cron expression.\n"))
    }
}

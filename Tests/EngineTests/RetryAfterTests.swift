import Foundation
import Testing
import Audit
import Template
import Workflow
@testable import Engine
@testable import Providers

/// Issue 18: a server's `Retry-After` is input like any other. Whatever it says (a huge number,
/// a negative one, text, a date in the year 9999, `Int.max + 1`), the run neither traps on the
/// conversion nor sleeps for ever: it waits at most `EngineConfiguration.maxBackoff`, then
/// retries, and fails with the server's error once the attempts are spent.
///
/// The loopback server sends the header as written (`[[429 retry-after=VALUE]]`). Each run is
/// raced against a guard far above the cap, so a missing clamp shows as a failed expectation
/// naming the header, not as a test that never ends.
@Suite struct RetryAfterTests {
    /// The longest wait between attempts in these runs (the product's default is 60 s).
    static let cap: Duration = .seconds(1)
    /// The cap for values that are not a wait: the product's default, so a value misread as a
    /// long wait shows as a gap near a minute, far from the step's 5 ms backoff even on a machine
    /// whose test threads are busy with other suites.
    static let productCap: Duration = .seconds(60)
    /// A run that has not ended by then slept past the cap (a missing clamp sleeps for ever).
    static let guardLimit: Duration = .seconds(300)

    /// Header values, and whether the engine is to wait the whole cap before the second attempt
    /// (the server asked for longer) or retry after the step's own 5 ms backoff (a value that is
    /// not a wait: negative, not a number, a date already past).
    static let headers: [(value: String, waitsTheCap: Bool)] = [
        ("1e30", true),
        ("inf", true),
        ("9223372036854775808", true),          // Int.max + 1
        ("1e300", true),
        ("Fri, 31 Dec 9999 23:59:59 GMT", true),
        ("-1", false),
        ("-1e30", false),
        ("nan", false),
        ("soon", false),
        ("Thu, 01 Jan 1970 00:00:00 GMT", false),
    ]

    /// Runs a one-step workflow whose prompt carries `marker`, with `attempts` attempts, against
    /// `harness`'s server; `nil` when the run outlasted `guardLimit` (it is then cancelled).
    static func run(_ harness: EngineHarness, marker: String, attempts: Int, cap: Duration = cap) async throws -> (result: RunResult?, elapsed: Duration) {
        let workflow = try harness.load("""
            baton: 1
            name: retry-after
            MODELS
            defaults: { model: remote, retry: { attempts: \(attempts), backoff: 5ms } }
            steps:
              - { id: copy, kind: generate, prompt: "카피 \(marker)" }
            """)
        let engine = Engine(workflow: workflow, store: harness.store,
                            configuration: EngineConfiguration(output: harness.output, environment: ["FAKE_KEY": "sk-fake"], maxBackoff: cap))
        let clock = ContinuousClock()
        let start = clock.now
        let result: RunResult? = try await withThrowingTaskGroup(of: RunResult?.self) { group in
            group.addTask { try await engine.run(inputs: [:]) }
            group.addTask {
                try await Task.sleep(for: guardLimit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        return (result, clock.now - start)
    }

    /// Seconds between the arrivals of the server's requests `index - 1` and `index`.
    static func gap(_ harness: EngineHarness, before index: Int) -> Double {
        let times = harness.server.requests().compactMap { $0["time"] as? Double }
        guard index < times.count else { return .nan }
        return times[index] - times[index - 1]
    }

    @Test(arguments: headers)
    func aRateLimitWaitsAtMostTheCapThenRetries(value: String, waitsTheCap: Bool) async throws {
        let harness = try EngineHarness()
        let (result, _) = try await Self.run(harness, marker: "[[429x1 retry-after=\(value)]]", attempts: 2,
                                             cap: waitsTheCap ? Self.cap : Self.productCap)
        let run = try #require(result, "Retry-After: \(value): the run was still asleep after \(Self.guardLimit) (cap \(Self.cap))")
        #expect(run.status == .succeeded, "Retry-After: \(value): \(run.error ?? "")")
        #expect(harness.server.requestCount == 2)
        let rows = try harness.attempts(run.runID)
        #expect(rows.map(\.status) == [.failed, .succeeded])
        #expect(rows.first?.error?.hasPrefix("rate_limited: ") == true)
        let gap = Self.gap(harness, before: 1)
        if waitsTheCap {
            // The server's wish is honoured up to the cap: the second request came no sooner.
            #expect(gap >= 0.95, "Retry-After: \(value): retried after \(gap) s, before the 1 s cap")
        } else {
            #expect(gap < 30, "Retry-After: \(value): waited \(gap) s, as if the value were a long wait")
        }
    }

    /// Every attempt rate-limited with an absurd wait: the run fails after `attempts - 1` capped
    /// waits, with the server's error, rather than sleeping until the end of time.
    @Test func aServerThatNeverRelentsFailsTheRunWithItsError() async throws {
        let harness = try EngineHarness()
        let (result, elapsed) = try await Self.run(harness, marker: "[[429 retry-after=1e30]]", attempts: 3)
        let run = try #require(result, "the run was still asleep after \(Self.guardLimit)")
        #expect(run.status == .failed)
        #expect(harness.server.requestCount == 3)
        let rows = try harness.attempts(run.runID)
        let endpoint = harness.server.baseURL.absoluteString + "/chat/completions"
        #expect(rows.map(\.error) == Array(repeating: "rate_limited: \(endpoint): HTTP 429: injected 429", count: 3))
        #expect(run.error == "step 'copy' failed: rate_limited: \(endpoint): HTTP 429: injected 429")
        #expect(elapsed >= .seconds(2), "two capped waits took \(elapsed)")
        #expect(Self.gap(harness, before: 1) >= 0.95 && Self.gap(harness, before: 2) >= 0.95)
    }

    /// A 503's `Retry-After` is not read (only 429 carries a wait into `ModelError`): the step's
    /// own backoff applies, so even `1e30` there costs 5 ms, not the minute of the product's cap.
    @Test func aServiceUnavailableRetriesOnTheStepsBackoff() async throws {
        let harness = try EngineHarness()
        let (result, _) = try await Self.run(harness, marker: "[[503x1 retry-after=1e30]]", attempts: 2, cap: Self.productCap)
        let run = try #require(result, "the run was still asleep after \(Self.guardLimit)")
        #expect(run.status == .succeeded)
        #expect(try harness.attempts(run.runID).first?.error?.hasPrefix("server_error: ") == true)
        #expect(Self.gap(harness, before: 1) < 30)
    }

    /// What the provider makes of each header, before the engine clamps it.
    @Test(arguments: [
        ("1e30", 1e30), ("-1", 0), ("-1e30", 0), ("9223372036854775808", 9_223_372_036_854_775_808.0), ("inf", .infinity),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0), (" 3 ", 3),
    ] as [(String, Double)])
    func theProviderReadsTheHeaderAsSeconds(value: String, seconds: Double) {
        #expect(OpenAICompatibleModel.parseRetryAfter(value) == seconds)
    }

    @Test func unreadableHeadersGiveNoWait() {
        #expect(OpenAICompatibleModel.parseRetryAfter("soon") == nil)
        #expect(OpenAICompatibleModel.parseRetryAfter("") == nil)
        // `nan` parses as a Double; `max(0, nan)` is 0, so it is no wait at all.
        #expect(OpenAICompatibleModel.parseRetryAfter("nan") == 0)
        // The year 9999 is some 2.5e11 seconds away: honoured only up to the engine's cap.
        #expect((OpenAICompatibleModel.parseRetryAfter("Fri, 31 Dec 9999 23:59:59 GMT") ?? 0) > 2.5e11)
    }

    /// The conversion to a `Duration` itself saturates (at `Int64.max` milliseconds, in whole
    /// seconds) instead of trapping.
    @Test(arguments: [(1e33, Int64.max / 1_000_000), (.infinity, Int64.max / 1_000_000), (-5, 0), (.nan, 0), (1500, 1)] as [(Double, Int64)])
    func millisecondsSaturate(value: Double, seconds: Int64) {
        #expect(Engine.milliseconds(value).components.seconds == seconds)
    }
}

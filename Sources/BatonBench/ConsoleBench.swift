import Audit
import CommandKit
import Console
import Engine
import Foundation
import Synchronization
import HTTPServer
import Workflow

/// `baton bench console`: the console's page times on a store of many runs, how soon a recorded
/// step reaches an event stream, and many connections at once. Each page time is shown beside
/// the store query it rests on (the reference), as a ratio.
struct ConsoleBench: TableCommand {
    static let abstract = "Web console: page times on a large store, event delay, concurrent connections."
    static let options = OptionTable("baton bench console", [
        .option("runs", value: "N", help: "Runs in the store.", default: "10000"),
        .timedRuns("repeat", value: "R", "Requests per page", default: 200),
        .option("connections", value: "C", help: "Concurrent connections.", default: "50"),
        .option("workflows", value: "DIR", help: "The workflows page's folder.", default: "Workflows"),
    ])
    static let discussion = """
        Fills a temporary store with N runs (one attempt each; every 10th failed, every 100th
        waiting for a review), serves the console on loopback, and times over HTTP: the run history
        (first page, and filtered by status), a run's detail, the review inbox and the workflows
        page (median and p95 of R requests, beside the store query each page needs); the delay
        from appending an attempt to its server-sent event; and C connections each asking for
        a run page 10 times at once.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let count = try parsed.positiveCount("runs", usage: usage)
        let repetitions = try parsed.positiveCount("repeat", usage: usage)
        let connections = try parsed.positiveCount("connections", usage: usage)
        let folder = try BenchText.scratchFolder("console")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try AuditStore(path: folder.appendingPathComponent("baton.db").path)
        let fillStart = ContinuousClock.now
        var sample = ""
        let prompt = "다음 브리프를 바탕으로 캠페인 카피를 써 주세요. 톤: 밝고 친근하게"
        for index in 0..<count {
            let run = try store.startRun(NewRun(workflow: index % 3 == 0 ? "campaign-copy" : "weekly-report", workflowSource: "baton: 1\n",
                                                inputsJSON: "{\"tone\":\"friendly\",\"n\":\(index)}"))
            try store.appendAttempt(StepAttemptRecord(runID: run.id, stepID: "copy", kind: "generate", status: index % 10 == 0 ? .failed : .succeeded,
                                                      prompt: prompt, outputText: "퇴근길, 한빛천에서 봄을 만나요 #\(index)", startedAt: Date(), finishedAt: Date()))
            if index % 100 == 0 {
                try store.appendReview(ReviewRecord(runID: run.id, stepID: "approval", round: 1, event: .requested, shownText: "카피 \(index)"))
                try store.markWaiting(id: run.id)
            } else {
                try store.finishRun(id: run.id, status: index % 10 == 0 ? .failed : .succeeded)
            }
            if index == count / 2 { sample = run.id }
        }
        print("store: \(count) runs filled in \(format(ContinuousClock.now - fillStart))")

        let console = Console(settings: Console.Settings(workflows: parsed.value("workflows") ?? "Workflows",
                                                         engine: EngineConfiguration(output: OutputDirectory(folder.appendingPathComponent("out").path))),
                              store: store)
        let server = try HTTPServer(host: "127.0.0.1", port: 0, handler: console.handle)
        server.start()
        defer { server.stop(grace: .seconds(2)) }

        print("page                      median     p95   store query   ratio")
        let pages: [(String, String, () throws -> Void)] = [
            ("history /runs", "/runs", { _ = try store.runs(limit: 50) }),
            ("history ?status=failed", "/runs?status=failed", { _ = try store.runs(status: .failed, limit: 50) }),
            ("history, a page deep", "/runs?before=\(sample)", { _ = try store.runsPage(before: sample, limit: 50) }),
            ("run detail", "/runs/\(sample)", { _ = try store.attempts(run: sample); _ = try store.verify(run: sample) }),
            ("review inbox", "/reviews", { _ = try store.pendingReviews() }),
            ("workflows", "/", {
                let directory = parsed.value("workflows") ?? "Workflows"
                for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".yaml") {
                    _ = try? WorkflowLoader.load(path: directory + "/" + name)
                }
            }),
        ]
        for (label, path, query) in pages {
            let client = try BenchClient(port: server.port)
            var times: [Double] = []
            for _ in 0..<repetitions {
                let start = ContinuousClock.now
                guard client.get(path) == 200 else { throw BenchClientError("\(path) did not answer 200") }
                times.append(BenchTiming.seconds(ContinuousClock.now - start))
            }
            var queries: [Double] = []
            for _ in 0..<repetitions {
                let start = ContinuousClock.now
                try query()
                queries.append(BenchTiming.seconds(ContinuousClock.now - start))
            }
            let page = BenchTiming.median(times), reference = BenchTiming.median(queries)
            print("\(label.padding(toLength: 24, withPad: " ", startingAt: 0))  \(ms(page))  \(ms(percentile(times, 0.95)))     \(ms(reference))   \(reference > 0 ? String(format: "%5.1fx", page / reference) : "  -")")
        }

        // Event delay: an attempt appended to a running run, until its `step` event arrives.
        let live = try store.startRun(NewRun(workflow: "live", workflowSource: "baton: 1\n"))
        let stream = try BenchClient(port: server.port)
        stream.send("GET /runs/\(live.id)/events HTTP/1.1\r\nHost: b\r\n\r\n")
        _ = stream.read(until: "event: run")
        var delays: [Double] = []
        for index in 0..<20 {
            let start = ContinuousClock.now
            try store.appendAttempt(StepAttemptRecord(runID: live.id, stepID: "s\(index)", kind: "template", status: .succeeded, startedAt: Date(), finishedAt: Date()))
            _ = stream.read(until: "\"s\(index)\"")
            delays.append(BenchTiming.seconds(ContinuousClock.now - start))
        }
        try store.finishRun(id: live.id, status: .succeeded)
        print("event delay (attempt recorded -> event received): median \(ms(BenchTiming.median(delays))), max \(ms(delays.max() ?? 0)) (the stream looks every 50 ms)")

        // Concurrent connections, each kept alive for 10 requests.
        let errors = ErrorCount()
        let samplePath = "/runs/\(sample)"
        let start = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: connections) { _ in
            guard let client = try? BenchClient(port: server.port) else { errors.add(); return }
            for _ in 0..<10 where client.get(samplePath) != 200 { errors.add() }
        }
        print("\(connections) concurrent connections x 10 requests: \(errors.value) errors in \(format(ContinuousClock.now - start))")
        return errors.value == 0 ? 0 : 1
    }

    static func format(_ duration: Duration) -> String { String(format: "%.2f s", BenchTiming.seconds(duration)) }
    static func ms(_ value: Double) -> String { String(format: "%6.2f ms", value * 1000) }
    static func percentile(_ values: [Double], _ p: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * p))] }
}

/// Counts failures from concurrent clients.
final class ErrorCount: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

struct BenchClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A keep-alive loopback client that reads one response by its Content-Length.
final class BenchClient {
    private let connection: LoopbackConnection
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        connection = try LoopbackConnection(port: port)
    }

    func send(_ text: String) { connection.send(Array(text.utf8)) }

    private func fill() -> Bool {
        guard let chunk = connection.receive() else { return false }
        buffer += chunk
        return true
    }

    /// GET over the kept-alive connection; the status (0 when the connection failed).
    func get(_ path: String) -> Int {
        send("GET \(path) HTTP/1.1\r\nHost: b\r\n\r\n")
        let end = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                let length = head.firstMatch(of: /Content-Length: (\d+)/).flatMap { Int($0.1) } ?? 0
                while buffer.count < range.upperBound + length { guard fill() else { return 0 } }
                buffer.removeFirst(range.upperBound + length)
                return Int(head.dropFirst(9).prefix(3)) ?? 0
            }
            guard fill() else { return 0 }
        }
    }

    /// Reads until `marker` has arrived (a stream).
    func read(until marker: String) -> String {
        while !String(decoding: buffer, as: UTF8.self).contains(marker) { guard fill() else { break } }
        let text = String(decoding: buffer, as: UTF8.self)
        buffer.removeAll()
        return text
    }
}

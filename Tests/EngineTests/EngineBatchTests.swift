import Foundation
import Testing
import Audit
import Template
import Workflow
@testable import Engine
@testable import Scheduler
@testable import Providers

/// `for_each` batches, `on_error`, concurrency bounds, cancellation and resume.
@Suite struct EngineBatchTests {
    static let batch = """
        baton: 1
        name: batch
        inputs:
          items: { type: list }
        MODELS
        defaults: { model: remote, on_error: continue }
        steps:
          - id: translate
            kind: generate
            for_each: { items: "{{ inputs.items }}", concurrency: 8 }
            prompt: "보도자료 {{ item }} 번역"
            files:
              - { path: "batch/{{ index }}.txt", content: "{{ output }}" }
        """

    /// 200 items, 5% of them failing once (by the server's hash of the prompt): 190 done and 10
    /// failed; a resume sends exactly the 10 failed items again and finishes the batch.
    @Test func aBatchWithFailuresIsFinishedByAResumeThatSendsOnlyTheFailedItems() async throws {
        let harness = try EngineHarness(config: #"{"fail_percent": 5, "fail_once": true}"#)
        let items = (0..<200).map { Value.int($0) }
        let expectedFailures = (0..<200).filter { fnv1a32("보도자료 \($0) 번역") % 10000 < 500 }
        #expect(expectedFailures.count == 10)
        let workflow = try harness.load(Self.batch)
        let inputs = try InputBinding.resolve(workflow, values: ["items": .list(items)])
        let first = try await harness.engine(workflow).run(inputs: inputs)
        #expect(first.status == .failed)
        #expect(first.error?.hasPrefix("step 'translate' failed: 10 of 200 items failed; first: item \(expectedFailures[0]): server_error: ") == true)
        let rows = try harness.attempts(first.runID)
        #expect(rows.filter { $0.status == .succeeded }.count == 190)
        #expect(rows.filter { $0.status == .failed }.compactMap(\.iteration).sorted() == expectedFailures)
        #expect(harness.server.requestCount == 200)
        #expect(harness.file("batch/\(expectedFailures[0]).txt") == nil)
        #expect(harness.file("batch/\((0..<200).first { !expectedFailures.contains($0) } ?? 0).txt")?.hasPrefix("echo: 보도자료 ") == true)

        let reuse = try harness.store.latestSucceededAttempts(run: first.runID)
        #expect(reuse.count == 190)
        let second = try await harness.engine(workflow).run(inputs: inputs, trigger: .resume, parentRunID: first.runID, reuse: reuse)
        #expect(second.status == .succeeded)
        #expect(harness.server.requestCount == 210)
        #expect(harness.server.prompts().suffix(10).sorted() == expectedFailures.map { "보도자료 \($0) 번역" }.sorted())
        let resumed = try harness.attempts(second.runID)
        #expect(resumed.count == 200)
        #expect(resumed.filter { $0.extraJSON?.contains("reused_from") == true }.count == 190)
        #expect(try harness.store.run(id: second.runID)?.parentRunID == first.runID)
        #expect(try harness.store.run(id: second.runID)?.trigger == .resume)
        for index in expectedFailures { #expect(harness.file("batch/\(index).txt") == "echo: 보도자료 \(index) 번역\n") }
    }

    /// A `for_each` over the rows a `read` step found in a CSV file, with per-item files and a
    /// `write` step; no model involved.
    @Test func aForEachOverCSVRowsWritesOneFilePerRow() async throws {
        let harness = try EngineHarness()
        let csv = harness.directory.appendingPathComponent("products.csv")
        try "name,price\n텀블러,12000\n\"머그, 큰 것\",9000\n".write(to: csv, atomically: true, encoding: .utf8)
        let result = try await harness.run("""
            baton: 1
            name: rows
            steps:
              - { id: rows, kind: read, path: "\(csv.path)" }
              - id: card
                kind: template
                for_each: "{{ steps.rows.output }}"
                template: "{{ item.name }}: {{ item.price }}원"
                files:
                  - { path: "cards/{{ index }}.txt", content: "{{ output }}" }
              - { id: list, kind: write, path: list.md, content: "{{ steps.card.output | join('\\n') }}" }
            outputs:
              count: "{{ steps.rows.output | length }}"
            """)
        #expect(result.status == .succeeded)
        #expect(result.outputs.first?.value == .int(2))
        #expect(harness.file("cards/0.txt") == "텀블러: 12000원\n")
        #expect(harness.file("cards/1.txt") == "머그, 큰 것: 9000원\n")
        #expect(harness.file("list.md") == "텀블러: 12000원\n머그, 큰 것: 9000원\n")
        let rows = try harness.attempts(result.runID)
        // Items run concurrently, so their rows are appended in the order they finish.
        let keys = rows.map { "\($0.key)" }
        #expect(keys.first == "rows" && keys.last == "list")
        #expect(Set(keys.dropFirst().dropLast()) == ["card[0]", "card[1]"])
        #expect(rows.first?.outputJSON == #"[{"name":"텀블러","price":12000},{"name":"머그, 큰 것","price":9000}]"#)
        #expect(try harness.store.files(run: result.runID).count == 3)
    }

    @Test func onErrorStopStartsNoFurtherItem() async throws {
        let harness = try EngineHarness()
        let result = try await harness.run("""
            baton: 1
            name: stop
            MODELS
            defaults: { model: remote, on_error: stop }
            steps:
              - id: each
                kind: generate
                for_each: { items: ["하나", "둘 [[400]]", "셋", "넷"], concurrency: 1 }
                prompt: "{{ item }}"
              - { id: later, kind: template, template: "{{ steps.each.output }}" }
            """)
        #expect(result.status == .failed)
        #expect(harness.server.prompts() == ["하나", "둘 [[400]]"])
        #expect(result.steps == ["each": "failed", "later": "blocked"])
        #expect(result.error?.hasSuffix("; not run: 'later'") == true)
    }

    @Test func aForEachKeepsConcurrencyRequestsInFlight() async throws {
        let harness = try EngineHarness(config: #"{"delay": 0.15}"#)
        let result = try await harness.run("""
            baton: 1
            name: inflight
            MODELS
            defaults: { model: remote }
            steps:
              - { id: each, kind: generate, for_each: ["a", "b", "c", "d", "e", "f", "g", "h", "i"], prompt: "{{ item }}" }
            """, concurrency: 3)
        #expect(result.status == .succeeded)
        let stats = try await harness.server.get("/stats")
        #expect(stats["max_in_flight"] as? Int == 3)
        #expect(stats["count"] as? Int == 9)
    }

    @Test func cancellingARunRecordsItCancelled() async throws {
        let harness = try EngineHarness()
        let workflow = try harness.load("""
            baton: 1
            name: cancel
            MODELS
            defaults: { model: remote }
            steps:
              - { id: slow, kind: generate, prompt: "카피 [[slow:10]]" }
              - { id: after, kind: template, template: "{{ steps.slow.output }}" }
            """)
        let engine = harness.engine(workflow)
        let task = Task { try await engine.run(inputs: [:]) }
        for _ in 0..<100 where harness.server.requestCount == 0 { try await Task.sleep(for: .milliseconds(50)) }
        task.cancel()
        let result = try await task.value
        #expect(result.status == .cancelled)
        let rows = try harness.attempts(result.runID)
        #expect(rows.map(\.status) == [.cancelled])
        #expect(try harness.store.run(id: result.runID)?.status == .cancelled)
    }
}

import Audit
import Foundation
import Testing
import TestSupport

/// The must-show, end to end with the real binary: approved and edited outputs in the
/// audit store become a dataset, the dataset an adapter (a random-weight Qwen2 base, a few
/// steps), and a workflow run with that adapter records the adapter's SHA-256 and the data's,
/// the same hash the dataset's manifest gives.
@Suite struct TrainTraceCLITests {
    static let base = BatonProcess.repository.appendingPathComponent("Tests/RuntimeTests/Fixtures/reference/qwen2-f32-gqa4.gguf").path

    @Test func aRunWithTheAdapterNamesTheAdapterAndTheDataItWasTrainedOn() throws {
        let home = try PromptHome()
        try DatasetExportCLITests().makeStore(home)
        let data = home.folder.appendingPathComponent("data.jsonl").path
        let export = try home.baton(["dataset", "export", "--out", data, "--approved-only", "--valid-fraction", "0", "--json"])
        #expect(export.status == 0, "\(export.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
        let dataHash = try #require(manifest["data_sha256"] as? String)

        let adapter = home.folder.appendingPathComponent("voice.gguf").path
        let train = try home.baton(["train", "lora", Self.base, "--data", data, "--out", adapter, "--rank", "2", "--alpha", "4",
                                    "--epochs", "2", "--seq-len", "256", "--lr", "1e-2", "--threads", "1"])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.hasPrefix("wrote \(adapter): "), "\(train.stdout)")

        try Data("""
            baton: 1
            name: voice-check
            models:
              tuned: { provider: local, path: "\(Self.base)", threads: 1, lora: [{ path: "\(adapter)", scale: 0.5 }] }
            defaults: { model: tuned, temperature: 0, max_tokens: 3 }
            steps:
              - id: tagline
                kind: generate
                prompt: "Tagline for green tea"
            """.utf8).write(to: home.folder.appendingPathComponent("voice.yaml"))
        let run = try home.baton(["run", "voice.yaml", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let runID = try #require(result["run_id"] as? String)

        let shown = try home.shown(runID)
        let step = try #require((shown["steps"] as? [[String: Any]])?.first)
        let adapters = try #require((step["extra"] as? [String: Any])?["adapters"] as? [[String: Any]])
        let sum = try #require(ChildProcess.run(["sha256sum", adapter]))
        #expect(adapters.count == 1)
        #expect(adapters.first?["sha256"] as? String == String(sum.output.prefix(64)))
        #expect(adapters.first?["training_data_sha256"] as? String == dataHash)
        #expect(adapters.first?["scale"] as? Double == 0.5)
        #expect((step["model"] as? String)?.contains("+lora:sha256:" + String(sum.output.prefix(64)) + "@0.5") == true)

        // The human-readable page names both hashes too.
        let page = try home.baton(["show", runID])
        #expect(page.stdout.contains(dataHash), "\(page.stdout)")
    }
}

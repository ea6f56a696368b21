import Foundation
import Testing
import TestSupport

@Test(.requiresSmolLM2) func taglineWorkflowRunsOfflineOnTheDefaultModel() throws {
    // The default model is looked up by its file name in BATON_MODELS.
    let path = try #require(ReferenceModels.smolLM2)
    try #require((path as NSString).lastPathComponent == ReferenceModels.smolLM2FileName, "BATON_SMOLLM2 must keep the default file name")
    let models = (path as NSString).deletingLastPathComponent
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("baton-local-run-\(getpid())")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let workflow = BatonProcess.repository.appendingPathComponent("Workflows/tagline-en.yaml").path
    let result = try BatonProcess.run(["run", workflow, "--json"], environment: ["BATON_MODELS": models], directory: work)
    #expect(result.status == 0, "\(result.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(json?["status"] as? String == "succeeded")
    let sheet = try String(contentsOf: work.appendingPathComponent("out/tagline-en/taglines.md"), encoding: .utf8)
    #expect(sheet.hasPrefix("# Taglines: a reusable coffee cup that folds flat\n"))
    #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent(".baton/baton.db").path))

    // The audit store holds the messages sent and what the model read (the chat template's
    // rendering, in the extra JSON), its file's SHA-256 and the token counts.
    let runID = try #require(json?["run_id"] as? String)
    let show = try BatonProcess.run(["show", runID, "--json"], directory: work)
    let shown = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
    let steps = try #require(shown?["steps"] as? [[String: Any]])
    let taglines = try #require(steps.first { $0["id"] as? String == "taglines" })
    #expect((taglines["prompt"] as? String)?.hasPrefix(#"[{"role":"system","content":"You are a helpful copywriter."#) == true)
    let prompt = try #require((taglines["extra"] as? [String: Any])?["rendered_prompt"] as? String)
    #expect(prompt.hasPrefix("<|im_start|>system\nYou are a helpful copywriter."))
    #expect(prompt.hasSuffix("<|im_start|>assistant\n"))
    #expect((taglines["model"] as? String)?.hasPrefix("gguf:sha256:") == true)
    #expect((taglines["tokens_in"] as? Int ?? 0) > 0 && (taglines["tokens_out"] as? Int ?? 0) > 0)
}

@Test func logitsWithTwoLoRAAdaptersMatchLlamaCpp() throws {
    let fixtures = BatonProcess.repository.appendingPathComponent("Tests/RuntimeTests/Fixtures")
    let base = fixtures.appendingPathComponent("reference/llama-f32-gqa2-ropefreqs.gguf").path
    let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtures.appendingPathComponent("reference/manifest.json"))) as? [String: Any]
    let tokens = ((manifest?["models"] as? [[String: Any]])?.first { $0["name"] as? String == "llama-f32-gqa2-ropefreqs" }?["tokens"] as? [Int]) ?? []
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("baton-lora-\(getpid()).f32")
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try BatonProcess.run(["model", "logits", base, "--tokens", tokens.map(String.init).joined(separator: ","),
                                       "--lora", fixtures.appendingPathComponent("lora/two-targets.gguf").path + ":0.5",
                                       "--lora", fixtures.appendingPathComponent("lora/mlp.gguf").path + ":1.5",
                                       "--threads", "2", "--context", "64", "--out", out.path, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    func floats(_ url: URL) throws -> [Float] { try Data(contentsOf: url).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
    let ours = try floats(out), reference = try floats(fixtures.appendingPathComponent("lora/both.logits.f32"))
    #expect(ours.count == reference.count)
    var error = 0.0, power = 0.0
    for (a, b) in zip(ours, reference) { error += Double(a - b) * Double(a - b); power += Double(b) * Double(b) }
    #expect(error / power <= 1e-6)
}

@Test func loraForAnotherModelIsACleanError() throws {
    let fixtures = BatonProcess.repository.appendingPathComponent("Tests/RuntimeTests/Fixtures")
    let adapter = fixtures.appendingPathComponent("lora/two-targets.gguf").path
    let result = try BatonProcess.run(["model", "logits", fixtures.appendingPathComponent("reference/llama-q8_0-gqa4.gguf").path,
                                       "--tokens", "1,2", "--lora", adapter])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("\(adapter): error: the adapter's 'blk.0."), "\(result.stderr)")
}

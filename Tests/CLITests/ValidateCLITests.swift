import Foundation
import Testing
import TestSupport

/// `baton validate` reports everything in one pass, like a compiler, and warns about files a
/// workflow names that are not here.
@Suite struct ValidateCLITests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
    }

    func validate(_ name: String, _ yaml: String) throws -> BatonProcess {
        try yaml.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return try BatonProcess.run(["validate", name], environment: ["BATON_MODELS": folder.appendingPathComponent("models").path], directory: folder)
    }

    /// A step with a structural problem (no `to:`) still has its references checked: the unknown
    /// step it reads is reported in the same run, not after the first problem is fixed.
    @Test func structureAndReferenceProblemsComeInOneWave() throws {
        let result = try validate("waves.yaml", """
            baton: 1
            name: waves
            inputs:
              topic: { type: string }
            steps:
              - { id: a, kind: generate, prompt: "{{ inputs.topik }}" }
              - { id: c, kind: translate, text: "{{ steps.x.output }} {{ inputs.tpic }}" }
            """)
        #expect(result.status == 1)
        let headlines = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(headlines == [
            "waves.yaml:6:42: error: step 'a' reads unknown input 'topik' (did you mean 'topic'?)",
            "waves.yaml:7:5: error: step 'c' is missing required key 'to'",
            "waves.yaml:7:41: error: step 'c' reads unknown step 'x' (did you mean 'a'?)",
            "waves.yaml:7:62: error: step 'c' reads unknown input 'tpic' (did you mean 'topic'?)",
        ], "\(result.stderr)")
        #expect(result.stderr.hasSuffix("waves.yaml: 4 errors\n"))
    }

    /// A local model, LoRA adapter or knowledge database that is not here is a warning: the
    /// workflow stays valid (it may run on another machine, the database is built later).
    @Test func missingModelFilesAndKnowledgeBasesAreWarnings() throws {
        try Data().write(to: folder.appendingPathComponent("models/present.gguf"))
        let result = try validate("local.yaml", """
            baton: 1
            name: local
            models:
              here: { provider: local, path: present.gguf }
              gone: { provider: local, path: absent.gguf, lora: [{ path: voice.gguf }] }
            knowledge:
              brand: { path: kb/brand.db, source: docs }
            steps:
              - { id: a, kind: generate, model: here, prompt: "hi" }
              - { id: b, kind: rag_query, model: gone, knowledge: brand, query: "q", prompt: "{{ documents }}" }
            """)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "local.yaml: ok (local: 2 steps, 0 inputs, 3 warnings)\n")
        let plain = try validate("plain.yaml", """
            baton: 1
            name: plain
            steps:
              - { id: ask, kind: generate, prompt: "hi" }
            """)
        #expect(plain.status == 0)
        #expect(plain.stderr.hasPrefix("plain.yaml:4:11: warning: step 'ask' names no model, so it runs on the default local model 'SmolLM2-135M-Instruct.Q4_1.gguf', which is not here (looked in \(folder.appendingPathComponent("models").path), then the working directory and its models/; Scripts/setup.sh fetches it)\n"), "\(plain.stderr)")
        let models = folder.appendingPathComponent("models").path
        let headlines = result.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }
        #expect(headlines == [
            "local.yaml:5:3: warning: model 'gone': no model file 'absent.gguf' here (looked in \(models), then the working directory and its models/)",
            "local.yaml:5:3: warning: model 'gone': no LoRA adapter file 'voice.gguf' here (looked in the working directory and \(models))",
            "local.yaml:7:3: warning: knowledge base 'brand': no database 'kb/brand.db' yet (build it with 'baton ingest kb/brand.db docs')",
        ], "\(result.stderr)")
    }
}

import Foundation
import TestSupport
import Audit
import Template
import Workflow
@testable import Engine
@testable import Scheduler
@testable import Providers

/// A loopback server, a real SQLite audit store and an output folder in a fresh temporary
/// directory: what an engine test runs a workflow against.
final class EngineHarness: @unchecked Sendable {
    // @unchecked Sendable: immutable after init.
    let server: FakeOpenAIServer
    let directory: URL
    let store: AuditStore
    let output: OutputDirectory

    init(config: String = "{}") throws {
        server = try FakeOpenAIServer(config: config)
        directory = try TemporaryFolder.make("engine")
        store = try AuditStore(path: directory.appendingPathComponent("baton.db").path)
        output = OutputDirectory(directory.appendingPathComponent("out").path)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The `models:` block every test workflow uses: the loopback server, key from FAKE_KEY.
    var modelsBlock: String {
        """
        models:
          remote: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake-model, api_key_env: FAKE_KEY }
        """
    }

    func load(_ yaml: String) throws -> Workflow {
        try WorkflowLoader.load(source: yaml.replacingOccurrences(of: "MODELS", with: modelsBlock), file: "test.yaml")
    }

    func engine(_ workflow: Workflow, concurrency: Int? = nil, observer: @escaping @Sendable (EngineEvent) -> Void = { _ in }) -> Engine {
        Engine(workflow: workflow, store: store,
               configuration: EngineConfiguration(output: output, concurrency: concurrency, environment: ["FAKE_KEY": "sk-fake-secret-42"]),
               observer: observer)
    }

    /// Loads and runs `yaml` with `inputs`.
    func run(_ yaml: String, inputs: [String: Value] = [:], concurrency: Int? = nil) async throws -> RunResult {
        let workflow = try load(yaml)
        let resolved = try InputBinding.resolve(workflow, values: inputs)
        return try await engine(workflow, concurrency: concurrency).run(inputs: resolved)
    }

    func attempts(_ runID: String) throws -> [StepAttemptRecord] { try store.attempts(run: runID) }

    func file(_ relative: String) -> String? {
        (try? Data(contentsOf: output.root.appendingPathComponent(relative))).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// FNV-1a 32-bit, as `fake_openai.py` hashes prompts for `fail_percent`.
func fnv1a32(_ text: String) -> UInt32 {
    var hash: UInt32 = 0x811C_9DC5
    for byte in text.utf8 {
        hash ^= UInt32(byte)
        hash = hash &* 0x0100_0193
    }
    return hash
}

/// An attempt's extra JSON without what every model attempt carries (its `request_key`, and
/// `load_ms` when the model was loaded for it, `queue_wait_ms` when it waited a millisecond or
/// more for a slot: on a busy machine even `concurrency: 1` items can), so a test can compare
/// what the step kind recorded.
func stepExtra(_ json: String?) -> String? {
    json?.replacing(/"(request_key|load_ms|queue_wait_ms)":("sha256:[0-9a-f]{64}"|[0-9]+),?/, with: "")
        .replacing(/"rendered_prompt":"(?:[^"\\]|\\.)*",?/, with: "")
}

/// A local model's chat-template rendering, kept in the attempt's `extra_json` ("" when none).
func renderedPrompt(_ json: String?) -> String {
    let object = (try? JSONSerialization.jsonObject(with: Data((json ?? "{}").utf8))) as? [String: Any]
    return object?["rendered_prompt"] as? String ?? ""
}

import Base
import Foundation
import Testing
import TestSupport
import Engine
@testable import Scheduler
@testable import Providers
import Workflow

@Test(.requiresSmolLM2) func localModelAnswersWithTokensAndTheFileHash() async throws {
    let path = try #require(ReferenceModels.smolLM2)
    let model = try LocalLanguageModel(path: path, contextLength: 1024, threads: 2)
    #expect(model.identity == "gguf:sha256:b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
    let request = ModelRequest(prompt: "Say hello.", parameters: Sampling(temperature: 0, maxTokens: 8))
    let pieces = Pieces()
    let response = try await model.complete(request, onToken: { pieces.add($0) })
    #expect(response.tokensIn == 33)
    #expect(response.tokensOut == 8)
    #expect(response.finishReason == "length")
    #expect(pieces.text == response.text)
    // Two concurrent requests share the one loaded copy and queue; greedy answers agree.
    async let a = model.complete(request, onToken: nil)
    async let b = model.complete(request, onToken: nil)
    let (first, second) = try await (a, b)
    #expect(first.text == response.text && second.text == response.text)
}

@Test(.requiresSmolLM2) func localModelExtractsParseableJSON() async throws {
    let path = try #require(ReferenceModels.smolLM2)
    let model = try LocalLanguageModel(path: path, contextLength: 1024, threads: 2)
    let request = ModelRequest(prompt: "Extract name and age as JSON: Kim Minsu is 34.", parameters: Sampling(temperature: 0, maxTokens: 32), responseFormat: .json)
    let response = try await model.complete(request, onToken: nil)
    #expect(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) is [String: Any], "\(response.text)")
}

@Test func missingDefaultModelSaysHowToGetIt() throws {
    let spec = ModelSpec.LocalModel(path: LocalLanguageModel.defaultFileName)
    #expect(throws: ModelError(.configuration, "model 'default': SmolLM2-135M-Instruct.Q4_1.gguf: no such model file (looked in /nowhere, then the working directory and its models/); run Scripts/setup.sh to fetch the default model, or set BATON_MODELS")) {
        _ = try LocalLanguageModel.make(spec, name: "default", environment: ["BATON_MODELS": "/nowhere"])
    }
    #expect(LocalLanguageModel.modelFolder(environment: ["HOME": "/home/ad"]) == "/home/ad/.baton/models")
}

/// Collects streamed text from a `@Sendable` callback.
final class Pieces: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = ""
    func add(_ piece: String) { lock.withLock { collected += piece } }
    var text: String { lock.withLock { collected } }
}

@Test(.requiresSmolLM2) func loraForAnotherShapeIsRefusedNamingTheAdapter() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let adapter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RuntimeTests/Fixtures/lora/two-targets.gguf").path
    let spec = ModelSpec.LocalModel(path: path, context: 512, threads: 1, lora: [.init(path: adapter, scale: 0.5)])
    do {
        _ = try LocalLanguageModel.make(spec, name: "writer", environment: [:])
        Issue.record("an adapter for another model loaded")
    } catch {
        #expect(error.message.hasPrefix("model 'writer': LoRA \(adapter): error: the adapter's 'blk.0."), "\(error.message)")
        #expect(error.message.hasSuffix("which do not fit the model's [576, 576]") || error.message.contains("which do not fit the model's"))
    }
}

import Base
import Foundation
import Synchronization
import Audit
import Runtime
import Template
import Workflow

/// `provider: local`: a GGUF model run in-process by Baton's runtime, behind the same protocol as
/// a server. The loaded model comes from `ModelCache.shared`, so every step and `for_each` item
/// naming the same file shares one copy; requests to it run one at a time on a serial queue.
public struct LocalLanguageModel: LanguageModel {
    /// The file the default model is fetched to by `Scripts/setup.sh`.
    public static let defaultFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    public let chat: ChatModel
    /// `gguf:sha256:<hex>` of the model file, as recorded in the audit store.
    public private(set) var identity: String
    /// LoRA adapters applied to every request of this model (`lora:` in the workflow).
    public var adapters: [ScaledLoRA] = [] {
        didSet { identity = LocalLanguageModel.identity(base: baseIdentity, adapters: adapters) }
    }
    private let baseIdentity: String
    private let queue: DispatchQueue

    /// Loads (or reuses) the model at `path`; errors name the file.
    public init(path: String, contextLength: Int? = nil, threads: Int? = nil) throws(ModelError) {
        do {
            chat = try ModelCache.shared.model(path: path, contextLength: contextLength, threads: threads)
        } catch {
            throw ModelError(.configuration, error.description)
        }
        baseIdentity = try LocalLanguageModel.fileIdentity(path)
        identity = baseIdentity
        queue = LocalLanguageModel.queue(for: path)
    }

    /// Baton's model folder: `$BATON_MODELS`, else `~/.baton/models`.
    public static func modelFolder(environment: [String: String]) -> String {
        if let folder = environment["BATON_MODELS"], !folder.isEmpty { return folder }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.baton/models"
    }

    /// The spec used when a step names no model: the default GGUF in the model folder.
    public static func defaultSpec(file: String) -> ModelSpec {
        ModelSpec(name: "default", provider: .local(.init(path: defaultFileName)), location: SourceLocation(file: file, line: 1, column: 1))
    }

    /// Makes the model for a `provider: local` spec, resolving a relative path against the
    /// model folder and the workflow's folder (`ModelSpec.LocalModel.resolvedPath`).
    public static func make(_ spec: ModelSpec.LocalModel, name: String, environment: [String: String]) throws(ModelError) -> LocalLanguageModel {
        var lookup = environment
        lookup["BATON_MODELS"] = modelFolder(environment: environment)
        let path = spec.resolvedPath(environment: lookup, fileExists: { FileManager.default.fileExists(atPath: $0) })
        guard FileManager.default.fileExists(atPath: path) else {
            var message = "model '\(name)': \(path): no such model file (looked in \(lookup["BATON_MODELS"] ?? ""), then \(spec.directory ?? "the working directory") and its models/)"
            if spec.path == defaultFileName { message += "; run Scripts/setup.sh to fetch the default model, or set BATON_MODELS" }
            throw ModelError(.configuration, message)
        }
        var model = try LocalLanguageModel(path: path, contextLength: spec.context, threads: spec.threads)
        for lora in spec.lora {
            let adapterPath = spec.resolvedPath(of: lora, environment: lookup, fileExists: { FileManager.default.fileExists(atPath: $0) })
            do {
                model.adapters.append(ScaledLoRA(try model.chat.adapter(path: adapterPath), scale: Float(lora.scale)))
            } catch {
                throw ModelError(.configuration, "model '\(name)': LoRA \(error.description)")
            }
        }
        return model
    }

    public func complete(_ request: ModelRequest, onToken: (@Sendable (String) -> Void)?) async throws(ModelError) -> ModelResponse {
        var prepared = LocalLanguageModel.chatRequest(request)
        prepared.adapters = adapters
        let chatRequest = prepared
        let chat = self.chat
        let cancelled = CancellationFlag()
        let result: Result<ChatResult, RuntimeError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async {
                    do throws(RuntimeError) {
                        let result = try chat.complete(chatRequest, isCancelled: { cancelled.isSet }, onText: { onToken?($0) })
                        continuation.resume(returning: .success(result))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            cancelled.set()
        }
        if cancelled.isSet { throw ModelError(.cancelled, "\(chat.path): cancelled during generation") }
        switch result {
        case .success(let answer):
            return ModelResponse(text: answer.text, tokensIn: answer.promptTokens, tokensOut: answer.completionTokens,
                                 finishReason: answer.finishReason, model: identity, renderedPrompt: answer.prompt,
                                 cachedPromptTokens: answer.cachedPromptTokens)
        case .failure(let error):
            throw ModelError(.localModel, error.description)
        }
    }

    /// The runtime request for an engine request; unset sampling values take llama.cpp's defaults.
    static func chatRequest(_ request: ModelRequest) -> ChatRequest {
        let p = request.parameters
        let sampling = Runtime.SamplingParameters(resolving: p)
        // An extract step's shape steers decoding itself (keys in order, typed values); a JSON
        // Schema response format does when it fits the shapes the runtime knows; otherwise any
        // JSON object, validated afterwards.
        var shape = request.shape
        if shape == nil, case .jsonSchema(_, let given) = request.responseFormat { shape = JSONShape(jsonSchema: given) }
        var chat = ChatRequest(messages: request.messages, sampling: sampling, maxTokens: p.maxTokens ?? 512, stop: p.stop ?? [],
                               jsonOnly: request.responseFormat != .text, jsonShape: shape)
        chat.thinking = request.thinking
        return chat
    }

    private static let shared = SharedState()

    /// With adapters, `adapters`: for each its file, SHA-256 and scale, and the SHA-256 of the data
    /// it was trained on and of its base when `baton train lora` wrote it, so that an output can
    /// be traced to the examples that shaped it (`baton dataset export`'s manifest has the same
    /// data hash).
    public var auditDetails: ValueDictionary? {
        guard !adapters.isEmpty else { return nil }
        return ["adapters": .list(adapters.map { entry in
            var fields: ValueDictionary = ["path": .string(entry.adapter.path), "scale": .double(Double(entry.scale))]
            if let identity = try? LocalLanguageModel.fileIdentity(entry.adapter.path) {
                fields["sha256"] = .string(String(identity.dropFirst("gguf:sha256:".count)))
            }
            if let data = entry.adapter.trainingDataSHA256 { fields["training_data_sha256"] = .string(data) }
            if let base = entry.adapter.trainingBaseSHA256 { fields["training_base_sha256"] = .string(base) }
            return .dict(fields)
        })]
    }

    /// The audit identity with adapters: `gguf:sha256:<base>+lora:sha256:<adapter>@<scale>...`.
    static func identity(base: String, adapters: [ScaledLoRA]) -> String {
        adapters.reduce(base) { text, entry in
            let hash = (try? fileIdentity(entry.adapter.path)).map { String($0.dropFirst("gguf:".count)) } ?? entry.adapter.path
            return text + "+lora:" + hash + "@" + String(entry.scale)
        }
    }

    /// `gguf:sha256:<hex>`, hashed once per file per process.
    static func fileIdentity(_ path: String) throws(ModelError) -> String {
        if let known = shared.identity(path) { return known }
        do {
            let identity = "gguf:sha256:" + (try SHA256.hash(fileAt: path)).hex
            shared.setIdentity(identity, for: path)
            return identity
        } catch {
            throw ModelError(.configuration, "\(path): cannot read the model file: \(SystemErrorText.describe(error))")
        }
    }

    /// One serial queue per model file: requests to a model wait their turn off the cooperative pool.
    static func queue(for path: String) -> DispatchQueue { shared.queue(path) }

    /// Records the SHA-256 of the file at `path` computed elsewhere (the audit store's digest
    /// cache), so loading it does not read the whole file again: hashing a 98 MB GGUF costs more
    /// than a short `baton prompt` reply.
    public static func remember(sha256 hex: String, for path: String) { shared.setIdentity("gguf:sha256:" + hex, for: path) }
}

/// Process-wide tables behind `LocalLanguageModel` (hashes and queues per file).
private final class SharedState: Sendable {
    private let identities = Mutex<[String: String]>([:])
    private let queues = Mutex<[String: DispatchQueue]>([:])

    func identity(_ path: String) -> String? { identities.withLock { $0[path] } }
    func setIdentity(_ identity: String, for path: String) { identities.withLock { $0[path] = identity } }
    func queue(_ path: String) -> DispatchQueue {
        queues.withLock { queues in
            if let queue = queues[path] { return queue }
            let queue = DispatchQueue(label: "baton.local-model")
            queues[path] = queue
            return queue
        }
    }
}

/// Set from a task's cancellation handler, read by the generation loop.
private final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

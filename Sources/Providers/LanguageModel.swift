import Base
import Foundation
import Template

/// A model that completes chat messages: an OpenAI-compatible server, or the local runtime.
///
/// The engine only talks to models through this protocol, so providers are interchangeable and
/// tests can plug in an in-memory model. Implementations must be safe to call concurrently: the
/// engine runs several steps (and `for_each` items) against one model at once.
public protocol LanguageModel: Sendable {
    /// What produced the text, as recorded in the audit store: for a server its base URL and
    /// model name, for a local model the GGUF's SHA-256.
    var identity: String { get }

    /// Completes `request`. `onToken` receives text pieces as they are generated when the
    /// provider streams (it may never be called); the returned response holds the whole text.
    func complete(_ request: ModelRequest, onToken: (@Sendable (String) -> Void)?) async throws(ModelError) -> ModelResponse

    /// What else the audit should keep about the model beside `identity`, as entries of each
    /// attempt's extra JSON (a local model's LoRA adapters and the data they were trained on);
    /// `nil` when there is nothing.
    var auditDetails: ValueDictionary? { get }
}

extension LanguageModel {
    public var auditDetails: ValueDictionary? { nil }
}

/// The shape the answer must take.
public enum ResponseFormat: Sendable, Equatable, Hashable {
    /// Free text.
    case text
    /// Any JSON object (OpenAI's `json_object` mode).
    case json
    /// A JSON object following a JSON Schema (given as JSON text); providers without schema
    /// support fall back to JSON mode and the engine validates the result itself.
    case jsonSchema(name: String, schema: String)
}

/// What the engine asks a model for.
public struct ModelRequest: Sendable, Equatable {
    public var messages: [ChatMessage]
    public var parameters: Sampling
    public var responseFormat: ResponseFormat
    /// The whole request's time limit; `nil` uses the provider's default.
    public var timeout: Duration?
    /// The shape the answer must have (an `extract` step's schema), for providers that can steer
    /// decoding by it: the local runtime constrains tokens to it, as a value, not as JSON Schema
    /// text. Servers get `responseFormat` (JSON mode, widely supported) and the engine validates
    /// afterwards.
    public var shape: JSONShape?
    /// Let a reasoning model think before answering: a local model's chat template gets
    /// `enable_thinking` (Qwen3's); servers apply their own template and ignore it.
    public var thinking: Bool

    public init(messages: [ChatMessage], parameters: Sampling = Sampling(), responseFormat: ResponseFormat = .text,
                timeout: Duration? = nil, shape: JSONShape? = nil, thinking: Bool = false) {
        self.thinking = thinking
        self.messages = messages
        self.parameters = parameters
        self.responseFormat = responseFormat
        self.timeout = timeout
        self.shape = shape
    }

    /// A request made of one user message.
    public init(prompt: String, parameters: Sampling = Sampling(), responseFormat: ResponseFormat = .text,
                timeout: Duration? = nil, shape: JSONShape? = nil) {
        self.init(messages: [ChatMessage(role: .user, content: prompt)], parameters: parameters, responseFormat: responseFormat,
                  timeout: timeout, shape: shape)
    }
}

/// A model's answer with what the audit store records about it.
public struct ModelResponse: Sendable, Equatable {
    public var text: String
    public var tokensIn: Int?
    public var tokensOut: Int?
    /// `stop`, `length`, ... as the provider reported it.
    public var finishReason: String?
    /// The model name the provider reported (a server may resolve aliases).
    public var model: String?
    /// The exact text the model read, where the provider knows it: for a local model, the
    /// messages rendered through the GGUF's chat template. The audit store keeps it, because it
    /// (not the messages) is what produced the output. Servers apply their template out of sight.
    public var renderedPrompt: String?
    /// Leading prompt tokens a local model kept in its KV cache from the previous request
    /// instead of computing them (its prompt cache; the output is the same bits either way).
    public var cachedPromptTokens: Int?
    /// What was wrong with the server's usage figures, which were then not stored (negative or
    /// absurd counts); nil when they were valid or absent.
    public var usageNote: String?

    public init(text: String, tokensIn: Int? = nil, tokensOut: Int? = nil, finishReason: String? = nil, model: String? = nil,
                renderedPrompt: String? = nil, cachedPromptTokens: Int? = nil, usageNote: String? = nil) {
        self.usageNote = usageNote
        self.text = text
        self.tokensIn = tokensIn
        self.tokensOut = tokensOut
        self.finishReason = finishReason
        self.model = model
        self.renderedPrompt = renderedPrompt
        self.cachedPromptTokens = cachedPromptTokens
    }
}

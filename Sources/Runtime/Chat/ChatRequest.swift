import Template
import Base

/// One chat completion asked of a local model.
public struct ChatRequest: Sendable {
    public var messages: [ChatMessage]
    public var sampling: SamplingParameters
    /// The most tokens to generate.
    public var maxTokens: Int
    /// Generation stops before the first of these strings appears (it is not returned).
    public var stop: [String]
    /// Only let the model write JSON (`extract`): a valid JSON object, then the end.
    public var jsonOnly: Bool
    /// Only let the model write JSON of this shape (keys in order, typed values), then the end;
    /// takes precedence over `jsonOnly`.
    public var jsonShape: JSONShape?
    /// LoRA adapters for this request only (the base model is shared and never rewritten).
    public var adapters: [ScaledLoRA]
    /// Passed to the chat template as `enable_thinking` (Qwen3's templates leave the model room
    /// to think when true, and write an empty think block when false). Off unless asked.
    public var thinking = false

    public init(messages: [ChatMessage], sampling: SamplingParameters = SamplingParameters(), maxTokens: Int = 512, stop: [String] = [], jsonOnly: Bool = false, adapters: [ScaledLoRA] = [], jsonShape: JSONShape? = nil) {
        self.adapters = adapters
        self.jsonShape = jsonShape
        self.messages = messages
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.stop = stop
        self.jsonOnly = jsonOnly
    }
}

/// What a local chat completion produced.
public struct ChatResult: Sendable, Equatable {
    /// The generated text (stop string excluded).
    public var text: String
    /// The prompt as rendered by the chat template.
    public var prompt: String
    public var promptTokens: Int
    /// Leading prompt tokens whose KV entries were kept from the previous request rather than
    /// computed again (the same bits either way; see `PromptCache`).
    public var cachedPromptTokens: Int
    public var completionTokens: Int
    /// `stop` (end of turn, stop string, or complete JSON), `length` (max tokens or full context).
    public var finishReason: String
    public var promptSeconds: Double
    public var generationSeconds: Double
}

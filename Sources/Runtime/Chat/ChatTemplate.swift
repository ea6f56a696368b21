import Base
import Foundation
import Template

/// A model's chat template (`tokenizer.chat_template`), rendered exactly as transformers and
/// llama-cpp-python render it, so a step's messages become the text the model was trained on.
///
/// Both render with jinja2's sandboxed environment with `trim_blocks` and `lstrip_blocks` on
/// and undefined names printing as "", and pass `messages`, `add_generation_prompt`,
/// `bos_token`, `eos_token` and `raise_exception`; this does the same with the Template module.
/// A model without a template gets ChatML (what SmolLM2 and Qwen use) and a warning.
public struct ChatTemplate: Sendable {
    /// The template source.
    public let source: String
    /// Whether the model had no template and ChatML is used instead.
    public let isFallback: Bool
    /// The texts of the BOS and EOS tokens, passed to the template as `bos_token`/`eos_token`.
    public let bosToken: String
    public let eosToken: String
    /// Set when the model had no template: the message to log.
    public let warning: String?
    private let file: String
    private let template: Template

    /// ChatML, the fallback for models that carry no template.
    public static let chatML = """
        {% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
        """

    /// Parses `source` (nil: ChatML with a warning) for the model at `file`.
    public init(source: String?, bosToken: String, eosToken: String, file: String) throws(RuntimeError) {
        let text = source ?? ChatTemplate.chatML
        self.source = text
        self.isFallback = source == nil
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.file = file
        self.warning = source == nil ? "\(file): warning: the model has no tokenizer.chat_template; using ChatML" : nil
        do {
            self.template = try Template(text, name: "tokenizer.chat_template", undefined: .lenient, options: .chatTemplate)
        } catch {
            throw RuntimeError(file: file, message: "chat template: \(error.description)")
        }
    }

    /// The template of a loaded model, with its BOS/EOS token texts.
    public init(file: GGUFFile, tokenizer: Tokenizer) throws(RuntimeError) {
        func text(_ id: Int?) -> String {
            guard let id, id >= 0, id < tokenizer.tokens.count else { return "" }
            return tokenizer.tokens[id]
        }
        try self.init(source: file.string("tokenizer.chat_template"), bosToken: text(tokenizer.bos), eosToken: text(tokenizer.eos), file: file.path)
    }

    /// The prompt text for `messages`; with `addGenerationPrompt` it ends where the assistant's
    /// answer begins. `thinking` is passed as `enable_thinking` (Qwen3's templates then leave the
    /// model room to think; off, they write an empty `<think></think>` block, so workflow steps
    /// get the answer alone unless a step asks for `think: true`).
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true, thinking: Bool = false) throws(RuntimeError) -> String {
        let list = Value.list(messages.map { message in
            Value.dict(["role": .string(message.role.rawValue), "content": .string(message.content)])
        })
        do {
            return try template.render([
                "messages": list,
                "add_generation_prompt": .bool(addGenerationPrompt),
                "enable_thinking": .bool(thinking),
                "bos_token": .string(bosToken),
                "eos_token": .string(eosToken),
            ])
        } catch {
            throw RuntimeError(file: file, message: "chat template: \(error.message)")
        }
    }
}

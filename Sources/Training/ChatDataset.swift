import Base
import Foundation
import Runtime

/// A chat-format JSONL file (`{"messages": [{"role": ..., "content": ...}, ...]}` per line)
/// turned into training examples through the base model's chat template: each assistant turn's
/// tokens are targets, everything else (system, user, template markup) is context only.
public struct ChatDataset: Sendable {
    public var examples: [TrainingExample]
    /// Lines whose conversation is longer than the sequence length (skipped, reported).
    public var skippedTooLong: [Int]

    /// Reads `path`; errors name the file and line (1-based). Blank lines are ignored.
    public init(path: String, template: ChatTemplate, tokenizer: Tokenizer, sequenceLength: Int) throws(TrainingError) {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TrainingError(file: path, message: "cannot read the data file as UTF-8: \(error.localizedDescription)")
        }
        var conversations: [Conversation] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            conversations.append(Conversation(line: index + 1, messages: try Self.messages(String(line), path: path, line: index + 1)))
        }
        try self.init(conversations: conversations, path: path, template: template, tokenizer: tokenizer, sequenceLength: sequenceLength)
    }

    /// One conversation read from a data file and where it was (a JSONL line, a CSV row's line).
    public struct Conversation: Sendable, Equatable {
        public var line: Int
        public var messages: [ChatMessage]

        public init(line: Int, messages: [ChatMessage]) {
            self.line = line
            self.messages = messages
        }
    }

    /// Examples from conversations already read (a CSV of prompt,completion pairs); `path` names
    /// the file in errors. Each needs an assistant message; longer ones than `sequenceLength`
    /// tokens are skipped and their lines kept in `skippedTooLong`.
    public init(conversations: [Conversation], path: String, template: ChatTemplate, tokenizer: Tokenizer, sequenceLength: Int) throws(TrainingError) {
        var examples: [TrainingExample] = [], skipped: [Int] = []
        for conversation in conversations {
            guard conversation.messages.contains(where: { $0.role == .assistant }) else {
                throw TrainingError(file: path, line: conversation.line, message: "the conversation has no assistant message to learn from")
            }
            let example = try Self.example(conversation.messages, template: template, tokenizer: tokenizer, path: path, line: conversation.line)
            if example.tokens.count > sequenceLength { skipped.append(conversation.line); continue }
            examples.append(example)
        }
        guard !examples.isEmpty else {
            throw TrainingError(file: path, message: skipped.isEmpty ? "the data file has no examples" : "every example is longer than the sequence length \(sequenceLength)")
        }
        self.examples = examples
        skippedTooLong = skipped
    }

    static func messages(_ line: String, path: String, line number: Int) throws(TrainingError) -> [ChatMessage] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
            throw TrainingError(file: path, line: number, message: "not valid JSON")
        }
        guard let list = (object as? [String: Any])?["messages"] as? [[String: Any]], !list.isEmpty else {
            throw TrainingError(file: path, line: number, message: "expected an object with a non-empty \"messages\" array")
        }
        var messages: [ChatMessage] = []
        for (i, entry) in list.enumerated() {
            guard let role = entry["role"] as? String, let content = entry["content"] as? String else {
                throw TrainingError(file: path, line: number, message: "message \(i + 1) needs string \"role\" and \"content\"")
            }
            guard let known = ChatMessage.Role(rawValue: role) else {
                throw TrainingError(file: path, line: number, message: "message \(i + 1) has role \"\(role)\"; expected system, user or assistant")
            }
            messages.append(ChatMessage(role: known, content: content))
        }
        guard messages.contains(where: { $0.role == .assistant }) else {
            throw TrainingError(file: path, line: number, message: "the conversation has no assistant message to learn from")
        }
        return messages
    }

    /// Renders growing prefixes of the conversation; the text each assistant turn adds is a
    /// target segment. Each rendering must extend the previous one (true of chat templates).
    static func example(_ messages: [ChatMessage], template: ChatTemplate, tokenizer: Tokenizer, path: String, line: Int) throws(TrainingError) -> TrainingExample {
        var tokens: [Int] = [], mask: [Bool] = [], rendered = ""
        func append(_ text: String, target: Bool) {
            guard !text.isEmpty else { return }
            let ids = tokenizer.encode(text, addSpecial: tokens.isEmpty, parseSpecial: true)
            tokens += ids
            mask += Array(repeating: target, count: ids.count)
        }
        for (i, message) in messages.enumerated() where message.role == .assistant {
            do {
                let prompt = try template.render(Array(messages[..<i]), addGenerationPrompt: true)
                let answered = try template.render(Array(messages[...i]), addGenerationPrompt: false)
                guard prompt.hasPrefix(rendered), answered.hasPrefix(prompt) else {
                    throw TrainingError(file: path, line: line, message: "the chat template does not render this conversation incrementally")
                }
                append(String(prompt.dropFirst(rendered.count)), target: false)
                append(String(answered.dropFirst(prompt.count)), target: true)
                rendered = answered
            } catch let error as RuntimeError {
                throw TrainingError(file: path, line: line, message: error.message)
            } catch let error as TrainingError {
                throw error
            } catch {
                throw TrainingError(file: path, line: line, message: "\(error)")
            }
        }
        return TrainingExample(tokens: tokens, mask: mask)
    }
}

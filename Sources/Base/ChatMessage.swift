/// One message of a chat conversation, as every layer passes it: the engine builds it, a provider
/// sends it (an OpenAI-compatible server) or renders it through the model's chat template (the
/// local runtime), and the audit store records it. One type, so nothing converts between copies.
public struct ChatMessage: Sendable, Equatable, Hashable {
    /// Who says the message; raw values are the OpenAI role names, which chat templates read as
    /// `message['role']`.
    public enum Role: String, Sendable, Equatable, Hashable, CaseIterable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

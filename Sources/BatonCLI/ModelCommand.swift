import CommandKit

/// `baton model`: work with a model file directly (tokenize, logits, generate, pull).
struct ModelCommand: GroupCommand {
    static let name = "model"
    static let abstract = "Tokenize, score or generate with a GGUF model directly."
    static let subcommands: [any Command.Type] = [
        ModelInfoCommand.self,
        ModelTokenizeCommand.self,
        ModelLogitsCommand.self,
        ModelGenerateCommand.self,
        ModelPullCommand.self,
    ]
}

import CommandKit

/// `baton train`: make adapters from data on the CPU.
struct TrainCommand: GroupCommand {
    static let name = "train"
    static let abstract = "Train a LoRA adapter for a GGUF model on chat examples."
    static let subcommands: [any Command.Type] = [
        TrainLoRACommand.self,
    ]
}

import CommandKit

/// `baton dataset`: training data from what the audit store kept.
struct DatasetCommand: GroupCommand {
    static let name = "dataset"
    static let abstract = "Export approved outputs from the audit store as training data."
    static let subcommands: [any Command.Type] = [
        DatasetExportCommand.self,
    ]
}

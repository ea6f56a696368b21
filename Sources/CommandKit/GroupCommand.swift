/// A command made of subcommands (`baton model tokenize`, `baton bench runtime`, ...).
///
/// Each subcommand is an ordinary `Command`; the group only dispatches on the first word.
public protocol GroupCommand: Command {
    static var subcommands: [any Command.Type] { get }
}

extension GroupCommand {
    public static var help: String {
        """
        USAGE: baton \(name) <subcommand> [options]

        \(abstract)

        SUBCOMMANDS:
        \(subcommands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.abstract }.joined(separator: "\n"))

        Run 'baton \(name) <subcommand> --help' for its options.
        """
    }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        guard let first = arguments.first else {
            throw UsageError(message: "'baton \(name)' needs a subcommand", usage: help)
        }
        guard let sub = subcommands.first(where: { $0.name == first }) else {
            throw UsageError(message: "unknown subcommand '\(first)' of 'baton \(name)'", usage: help)
        }
        return try await sub.run(Array(arguments.dropFirst()))
    }
}

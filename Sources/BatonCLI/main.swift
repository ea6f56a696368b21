import Base
import CommandKit
import Foundation

/// Entry point: dispatches `baton COMMAND ...` to the command's type; usage errors exit 64.
/// Async, so that commands await their work (runs, the scheduler) rather than block this thread
/// on semaphores; SIGINT/SIGTERM still reach them through `TerminationSignals`.
func batonMain(_ arguments: [String]) async -> Int32 {
    let overview = """
        USAGE: baton <command> [options]

        Baton runs agency text workflows written in YAML, with every step audited in SQLite.

        COMMANDS:
        \(allCommands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.abstract }.joined(separator: "\n"))

        Run 'baton <command> --help' for a command's options.
        """
    // `baton help run` (or `baton help schedule list`) is `baton run --help`.
    let arguments = arguments.first == "help" && arguments.count > 1 ? Array(arguments.dropFirst()) + ["--help"] : arguments
    guard let first = arguments.first else {
        printError(overview)
        return 64
    }
    if first == "--help" || first == "-h" || first == "help" {
        printOut(overview)
        return 0
    }
    if first == "--version" { return await Dispatch.run(VersionCommand.self, []) }
    guard let command = allCommands.first(where: { $0.name == first }) else {
        printError("error: unknown command '\(first)'\(Suggestion.hint(for: first, in: allCommands.map { $0.name }))\n\(overview)")
        return 64
    }
    let rest = Array(arguments.dropFirst())
    // The benchmarks live in their own executable, which also answers their `--help`.
    if command is BenchCommand.Type { return BenchCommand.handOver(rest) }
    return await Dispatch.run(command, rest)
}

exit(await batonMain(Array(CommandLine.arguments.dropFirst())))

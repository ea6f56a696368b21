/// Runs one command of a Baton executable the same way in `baton` and `baton-bench`: `--help`
/// anywhere prints the help of the deepest (sub)command named before it, usage errors exit 64
/// with the usage line, other failures exit 1 with one line on standard error.
public enum Dispatch {
    public static func run(_ command: any Command.Type, _ arguments: [String]) async -> Int32 {
        if let helpIndex = arguments.firstIndex(where: { $0 == "--help" || $0 == "-h" }) {
            if let group = command as? any GroupCommand.Type, let subName = arguments.first, helpIndex > 0,
               let sub = group.subcommands.first(where: { $0.name == subName }) {
                printOut(sub.help)
                return 0
            }
            printOut(command.help)
            return 0
        }
        do {
            return try await command.run(arguments)
        } catch let error as UsageError {
            printError(error.description)
            return 64
        } catch {
            printError(ErrorReport.line(for: error))
            return 1
        }
    }
}

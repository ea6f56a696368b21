/// A command whose options are an `OptionTable`: its name, usage line, `--help` and parsing are
/// produced from the table, and `run(_:)` receives the parsed arguments.
public protocol TableCommand: Command {
    /// Everything the command accepts.
    static var options: OptionTable { get }
    /// What `--help` says between the usage line and the options: what the command does.
    static var discussion: String { get }
    /// What `--help` says after the options (exit status, examples); empty by default.
    static var epilogue: String { get }
    /// Runs the command on its parsed arguments.
    static func run(_ parsed: ParsedArguments) async throws -> Int32
}

extension TableCommand {
    /// The last word of the table's command (`baton model generate` is `generate`).
    public static var name: String { options.name }

    public static var epilogue: String { "" }

    /// The usage line, from the table.
    public static var usage: String { options.usage }

    public static var help: String { options.help(discussion, epilogue: epilogue) }

    public static func run(_ arguments: [String]) async throws -> Int32 {
        try await run(options.parse(arguments))
    }
}

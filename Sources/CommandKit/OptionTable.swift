import Base

/// A command's options, flags and positionals in one list, so that its usage line, the OPTIONS
/// section of its `--help`, its parsing and its shell completion come from the same place and
/// cannot disagree (a hand-written usage line once listed an option the parser refused).
///
/// The parser checks the options: unknown ones (with a did-you-mean), a missing value, a value
/// given to a flag, a required option left out; each is a `UsageError` (exit 64) with the usage
/// line. How many positionals a command takes is checked by the command itself, whose messages
/// say what it needs (`'baton run' runs one workflow at a time`).
public struct OptionTable: Sendable {
    /// The words before the arguments: `baton validate`, `baton model generate`.
    public var command: String
    public var arguments: [CommandArgument]

    public init(_ command: String, _ arguments: [CommandArgument]) {
        self.command = command
        self.arguments = arguments
    }

    /// The command's own word, the last of `command` (`generate` of `baton model generate`): the
    /// name a `TableCommand` is dispatched by, so it cannot differ from what its usage line says.
    public var name: String {
        command.split(separator: " ").last.map(String.init) ?? command
    }

    /// The table with `more` added after its own arguments (a group shared by several commands,
    /// such as `RunSession.arguments`).
    public func adding(_ more: [CommandArgument]) -> OptionTable {
        OptionTable(command, arguments + more)
    }

    /// `USAGE: baton run FILE [--input KEY=VALUE]... [--json]`, in the table's order.
    public var usage: String {
        (["USAGE: " + command] + arguments.map(\.usageFragment)).joined(separator: " ")
    }

    /// The options and flags as typed (`--json`), in the table's order, then `--help`: the words
    /// shell completion offers.
    public var optionWords: [String] {
        options.map(\.spelled) + ["--help"]
    }

    /// The options and flags, a choice's members in its place.
    var options: [CommandArgument] {
        arguments.filter { $0.kind != .positional }.flatMap(\.members)
    }

    /// The whole `--help` text: the usage line, `discussion` (what the command does), the
    /// ARGUMENTS (positionals that have help) and OPTIONS sections, then `epilogue` (exit
    /// status, examples), each separated by a blank line.
    public func help(_ discussion: String, epilogue: String = "") -> String {
        var sections = [usage]
        if !discussion.isEmpty { sections.append(discussion) }
        let positionals = arguments.filter { $0.kind == .positional && !$0.help.isEmpty }
        if !positionals.isEmpty { sections.append("ARGUMENTS:\n" + Self.lines(positionals.map { ($0.helpLabel, Self.text(of: $0)) })) }
        let rows = options.map { ($0.helpLabel, Self.text(of: $0)) } + [("--help", "Show this help.")]
        sections.append("OPTIONS:\n" + Self.lines(rows))
        if !epilogue.isEmpty { sections.append(epilogue) }
        return sections.joined(separator: "\n\n")
    }

    /// The OPTIONS lines alone (no heading, no `--help`), for a command of several forms that
    /// puts its help together itself (`baton review`); `column` (where the texts start) lines
    /// them up with lines written around them.
    public func optionLines(column: Int? = nil) -> String {
        Self.lines(options.map { ($0.helpLabel, Self.text(of: $0)) }, column: column)
    }

    /// Parses `arguments` (the words after the command's name): `--name value`, `--name=value`,
    /// `-m value`, repeated options, flags and positionals, with `--` ending the options. An
    /// option absent from the command line reads as its default.
    public func parse(_ words: [String]) throws -> ParsedArguments {
        try parse(words, usage: usage)
    }

    /// `parse`, with `usage` in its errors (a command of several forms, each its own table,
    /// shows all its usage lines).
    public func parse(_ words: [String], usage: String) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                parsed.positionals.append(word)
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            var name = String(word.drop(while: { $0 == "-" }))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let argument = lookUp(name, singleDash: !word.hasPrefix("--")) else {
                let names = options.map(\.name)
                let hint = Suggestion.closest(to: name, in: names).map { " (did you mean '--\($0)'?)" } ?? ""
                throw UsageError(message: "unknown option '\(word)'\(hint)", usage: usage)
            }
            switch argument.kind {
            case .positional, .choice:
                continue
            case .flag:
                if inlineValue != nil { throw UsageError(message: "option '--\(argument.name)' takes no value", usage: usage) }
                parsed.flags.insert(argument.name)
            case .option:
                if let inlineValue {
                    parsed.options[argument.name, default: []].append(inlineValue)
                } else if index < words.count {
                    parsed.options[argument.name, default: []].append(words[index])
                    index += 1
                } else {
                    throw UsageError(message: "option '--\(argument.name)' needs a value", usage: usage)
                }
            }
        }
        for argument in options {
            if argument.required, parsed.options[argument.name] == nil {
                throw UsageError(message: argument.missingMessage ?? "missing \(argument.helpLabel)", usage: usage)
            }
            if let value = argument.defaultValue { parsed.defaults[argument.name] = value }
        }
        return parsed
    }

    /// The option or flag that `name` (dashes removed) names: its long name, or its short one
    /// when typed with a single dash.
    private func lookUp(_ name: String, singleDash: Bool) -> CommandArgument? {
        if let found = options.first(where: { $0.name == name || $0.aliases.contains(name) }) { return found }
        guard singleDash, name.count == 1 else { return nil }
        return options.first { $0.short == name.first }
    }

    /// The help text with its default, inside its closing period (`Where files go (default: out).`).
    private static func text(of argument: CommandArgument) -> String {
        guard let value = argument.defaultValue else { return argument.help }
        let sentence = argument.help.hasSuffix(".") ? String(argument.help.dropLast()) : argument.help
        return sentence + " (default: \(value))" + (argument.help.hasSuffix(".") ? "." : "")
    }

    /// The widest label that keeps its text on the same line; longer ones put it on the next.
    static let labelColumn = 24
    /// Lines are wrapped to this many characters.
    static let width = 100

    /// `  LABEL  TEXT` lines, the texts aligned in one column (two spaces after the widest label
    /// that fits in `labelColumn`, unless `column` says where) and wrapped.
    static func lines(_ rows: [(String, String)], column: Int? = nil) -> String {
        // A given column may leave one space after a label; the computed one leaves two.
        let gap = column == nil ? 2 : 1
        let column = column ?? (rows.map { $0.0.count }.filter { $0 <= labelColumn }.max() ?? 0) + 4
        var out: [String] = []
        for (label, text) in rows {
            let wrapped = wrap(text, width: width - column)
            let indent = String(repeating: " ", count: column)
            if 2 + label.count + gap > column {
                out.append("  " + label)
                out += wrapped.map { indent + $0 }
            } else {
                let first = ("  " + label).padding(toLength: column, withPad: " ", startingAt: 0)
                out.append(first + (wrapped.first ?? ""))
                out += wrapped.dropFirst().map { indent + $0 }
            }
        }
        return out.joined(separator: "\n")
    }

    /// `text` broken at spaces into lines of at most `width` characters (a longer word keeps its line).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

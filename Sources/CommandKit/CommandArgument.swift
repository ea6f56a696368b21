/// One thing a command accepts on its command line: an option with a value (`--out DIR`), a flag
/// (`--json`) or a positional (`FILE`). A command lists them in its `OptionTable`, from which its
/// usage line, the OPTIONS of its `--help`, its parsing and its shell completion all come.
public struct CommandArgument: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `--name VALUE` (or `--name=VALUE`); `valueName` is what the usage line shows.
        case option(valueName: String)
        /// `--name`, no value.
        case flag
        /// A word that is not an option; `name` is what the usage line shows (`FILE`, `<cron>`).
        case positional
        /// Options of which one is given, shown as `(--tokens IDS | --prompt TEXT)`; the command
        /// checks that exactly one came (its message says which).
        case choice([CommandArgument])
    }

    public var kind: Kind
    /// The long name without dashes (`concurrency`), or a positional's shown name.
    public var name: String
    /// A one-letter alias (`-m`), if any.
    public var short: Character?
    /// The help text, one paragraph; `--help` wraps it.
    public var help: String
    /// The value `ParsedArguments.value` gives when the option is absent; shown in `--help`.
    public var defaultValue: String?
    /// Whether the option may be given several times (`--input A=1 --input B=2`), or the
    /// positional stands for several words (`FILE...`).
    public var repeatable: Bool
    /// Whether the option must be given, or the positional must be there.
    public var required: Bool
    /// Other long names the parser accepts for it, not shown (an old spelling kept working).
    public var aliases: [String] = []
    /// What the parser says when a required option is absent, where the command's own words
    /// say more than the default `missing --out FILE`.
    public var missingMessage: String?
    /// Whether it is spelled with one dash (`-m`): an option with no long spelling.
    public var singleDash = false

    /// `--name VALUE`.
    public static func option(_ name: String, short: Character? = nil, value: String, help: String, default defaultValue: String? = nil,
                              repeatable: Bool = false, required: Bool = false, aliases: [String] = [], missing: String? = nil) -> CommandArgument {
        CommandArgument(kind: .option(valueName: value), name: name, short: short, help: help, defaultValue: defaultValue,
                        repeatable: repeatable, required: required, aliases: aliases, missingMessage: missing)
    }

    /// `-m VALUE`: a one-letter option with no long spelling (`baton rerun -m`, whose `--model`
    /// means something else).
    public static func shortOption(_ letter: Character, value: String, help: String) -> CommandArgument {
        CommandArgument(kind: .option(valueName: value), name: String(letter), short: nil, help: help, defaultValue: nil,
                        repeatable: false, required: false, singleDash: true)
    }

    /// One of `options` (`(--tokens IDS | --prompt TEXT)`).
    public static func oneOf(_ options: [CommandArgument]) -> CommandArgument {
        CommandArgument(kind: .choice(options), name: options.map(\.name).joined(separator: "|"), short: nil, help: "", defaultValue: nil,
                        repeatable: false, required: true)
    }

    /// The options it stands for: itself, or a choice's members.
    public var members: [CommandArgument] {
        if case .choice(let options) = kind { return options }
        return [self]
    }

    /// `--name`, no value.
    public static func flag(_ name: String, short: Character? = nil, help: String) -> CommandArgument {
        CommandArgument(kind: .flag, name: name, short: short, help: help, defaultValue: nil, repeatable: false, required: false)
    }

    /// A positional word (`FILE`); `repeatable` for `FILE...`, `required: false` for `[FILE]`.
    public static func positional(_ name: String, help: String = "", repeatable: Bool = false, required: Bool = true) -> CommandArgument {
        CommandArgument(kind: .positional, name: name, short: nil, help: help, defaultValue: nil, repeatable: repeatable, required: required)
    }

    /// The option's word as typed (`--json`, `-m`); a positional's name.
    public var spelled: String {
        kind == .positional ? name : dashed
    }

    /// `--name`, or `-m` for a `shortOption`.
    var dashed: String {
        (singleDash ? "-" : "--") + name
    }

    /// How the usage line shows it: `FILE`, `[FILE]...`, `[--out DIR]`, `[--input KEY=VALUE]...`.
    public var usageFragment: String {
        switch kind {
        case .positional:
            let word = name + (repeatable ? "..." : "")
            return required ? word : "[" + word + "]"
        case .flag:
            return "[\(dashed)]"
        case .option(let valueName):
            let word = "\(dashed) \(valueName)"
            return (required ? word : "[" + word + "]") + (repeatable ? "..." : "")
        case .choice(let options):
            return "(" + options.map { $0.helpLabel }.joined(separator: " | ") + ")"
        }
    }

    /// The left column of its `--help` line: `-m, --model NAME`, `--json`, `FILE`.
    public var helpLabel: String {
        let prefix = short.map { "-\($0), " } ?? ""
        switch kind {
        case .positional, .choice: return name
        case .flag: return prefix + dashed
        case .option(let valueName): return prefix + "\(dashed) \(valueName)"
        }
    }
}

import CommandKit
import Foundation

/// `baton completion bash|zsh`: a shell completion script for every command, subcommand and
/// option, generated from the commands' option tables (or, for a command still on the older
/// parsing path, its help text) so it never falls behind them.
struct CompletionCommand: TableCommand {
    static let abstract = "Print a bash or zsh completion script."
    static let options = OptionTable("baton completion", [.positional("bash|zsh")])
    static let discussion = """
        Prints a script that completes baton's commands, subcommands and options (and file
        names elsewhere). Load it in the current shell, or from your shell's start-up file:

          source <(baton completion bash)          # ~/.bashrc
          source <(baton completion zsh)           # ~/.zshrc (after compinit)
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1, let shell = parsed.positionals.first else {
            throw UsageError(message: "expected one shell: bash or zsh", usage: usage)
        }
        switch shell {
        case "bash": printOut(bash(), terminator: "")
        case "zsh": printOut(zsh(), terminator: "")
        default: throw UsageError(message: "unknown shell '\(shell)' (expected bash or zsh)", usage: usage)
        }
        return 0
    }

    /// Each completable word list: "" for the top level, "model" for a group, "run" or
    /// "model generate" for a command's options.
    static func table() -> [(key: String, words: [String])] {
        var table: [(key: String, words: [String])] = [("", allCommands.map { $0.name } + ["help"])]
        for command in allCommands {
            let subcommands = Self.subcommands(of: command)
            if subcommands.isEmpty {
                table.append((command.name, words(of: command)))
                continue
            }
            table.append((command.name, subcommands.map { $0.name }))
            for sub in subcommands { table.append((command.name + " " + sub.name, words(of: sub))) }
        }
        return table
    }

    /// A group's subcommands; none for a plain command.
    static func subcommands(of command: any Command.Type) -> [any Command.Type] {
        guard let group = command as? any GroupCommand.Type else { return [] }
        return group.subcommands
    }

    /// The option words of a command: its table's, or those its help text names.
    static func words(of command: any Command.Type) -> [String] {
        (command as? any TableCommand.Type)?.options.optionWords ?? optionWords(in: command.help)
    }

    /// The `--option` words of a help text, in order of first appearance, plus `--help`.
    static func optionWords(in help: String) -> [String] {
        var seen: [String] = []
        var scanner = help[...]
        while let range = scanner.range(of: "--") {
            let rest = scanner[range.upperBound...]
            let word = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if let first = word.first, first.isLetter, !seen.contains("--" + word) { seen.append("--" + String(word)) }
            scanner = rest.dropFirst(word.count)
        }
        return seen.contains("--help") ? seen : seen + ["--help"]
    }

    static func bash() -> String {
        let cases = table().map { key, words in
            "        \"\(key)\") choices=\"\(words.joined(separator: " "))\" ;;"
        }.joined(separator: "\n")
        return """
            # bash completion for baton (baton completion bash)
            _baton() {
                local cur="${COMP_WORDS[COMP_CWORD]}" key="" choices=""
                if [ "$COMP_CWORD" -ge 2 ]; then key="${COMP_WORDS[1]}"; fi
                if [ "$COMP_CWORD" -ge 3 ] && _baton_words "${COMP_WORDS[1]} ${COMP_WORDS[2]}"; then key="${COMP_WORDS[1]} ${COMP_WORDS[2]}"; fi
                _baton_words "$key"
                if [ "$COMP_CWORD" -eq 1 ] || [[ "$cur" == -* ]] || [[ "$choices" != --* && -n "$choices" && "$COMP_CWORD" -eq 2 ]]; then
                    COMPREPLY=($(compgen -W "$choices" -- "$cur"))
                else
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
            }
            _baton_words() {
                case "$1" in
            \(cases)
                    *) choices=""; return 1 ;;
                esac
            }
            complete -o filenames -F _baton baton

            """
    }

    static func zsh() -> String {
        let cases = table().map { key, words in
            "        \"\(key)\") choices=(\(words.joined(separator: " "))) ;;"
        }.joined(separator: "\n")
        return """
            #compdef baton
            # zsh completion for baton (baton completion zsh)
            _baton() {
                local key="" ; local -a choices
                (( CURRENT >= 3 )) && key="${words[2]}"
                (( CURRENT >= 4 )) && _baton_words "${words[2]} ${words[3]}" && key="${words[2]} ${words[3]}"
                _baton_words "$key"
                if (( CURRENT == 2 )) || [[ $PREFIX == -* ]] || [[ ${#choices} -gt 0 && ${choices[1]} != --* && CURRENT -eq 3 ]]; then
                    compadd -- "${choices[@]}"
                else
                    _files
                fi
            }
            _baton_words() {
                case "$1" in
            \(cases)
                    *) choices=(); return 1 ;;
                esac
            }
            compdef _baton baton

            """
    }
}

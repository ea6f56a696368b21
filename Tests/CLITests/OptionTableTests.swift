import CommandKit
import Foundation
import Testing
import TestSupport

/// One table per command gives its usage line, its `--help` options, its parsing and its
/// completion words; these are the rules each of them follows.
@Suite struct OptionTableTests {
    static let table = OptionTable("baton demo", [
        .positional("FILE"),
        .option("input", value: "KEY=VALUE", help: "An input value.", repeatable: true),
        .option("out", short: "o", value: "DIR", help: "Where files go.", default: "out"),
        .option("format", value: "mermaid|dot", help: "The output format.", required: true),
        .flag("json", help: "Print JSON."),
        .positional("MORE", repeatable: true, required: false),
    ])

    @Test func theUsageLineFollowsTheTableInOrder() {
        #expect(Self.table.usage == "USAGE: baton demo FILE [--input KEY=VALUE]... [--out DIR] --format mermaid|dot [--json] [MORE...]")
        #expect(OptionTable("baton version", []).usage == "USAGE: baton version")
    }

    @Test func helpListsEveryOptionWithItsDefaultThenHelp() {
        #expect(Self.table.help("Does a demo.", epilogue: "EXIT STATUS: 0.") == """
            USAGE: baton demo FILE [--input KEY=VALUE]... [--out DIR] --format mermaid|dot [--json] [MORE...]

            Does a demo.

            OPTIONS:
              --input KEY=VALUE     An input value.
              -o, --out DIR         Where files go (default: out).
              --format mermaid|dot  The output format.
              --json                Print JSON.
              --help                Show this help.

            EXIT STATUS: 0.
            """)
    }

    @Test func longHelpWrapsUnderItsColumnAndLongLabelsGetTheirOwnLine() {
        let table = OptionTable("baton x", [
            .option("a-very-long-option-name", value: "SOME=LONG#VALUE", help: "Short."),
            .flag("y", help: String(repeating: "word ", count: 30)),
        ])
        let lines = table.optionLines().split(separator: "\n").map(String.init)
        #expect(lines[0] == "  --a-very-long-option-name SOME=LONG#VALUE")
        #expect(lines[1] == String(repeating: " ", count: 7) + "Short.")
        #expect(lines[2] == "  --y  " + Array(repeating: "word", count: 18).joined(separator: " "))
        #expect(lines[3] == String(repeating: " ", count: 7) + Array(repeating: "word", count: 12).joined(separator: " "))
        #expect(lines.allSatisfy { $0.count <= 100 }, "\(lines)")
        #expect(lines.count == 4)
        #expect(table.optionLines(column: 30).split(separator: "\n")[1] == Substring(String(repeating: " ", count: 30) + "Short."))
    }

    @Test func parsingReadsLongShortInlineRepeatedAndDefaultValues() throws {
        let parsed = try Self.table.parse(["a.yaml", "--input", "x=1", "--input=y=2", "-o", "dist", "--format=dot", "--json", "--", "--not-an-option"])
        #expect(parsed.positionals == ["a.yaml", "--not-an-option"])
        #expect(parsed.values("input") == ["x=1", "y=2"])
        #expect(parsed.value("out") == "dist")
        #expect(parsed.value("format") == "dot")
        #expect(parsed.flag("json"))
        let defaults = try Self.table.parse(["--format", "dot"])
        #expect(defaults.value("out") == "out")
        #expect(defaults.values("out") == [])
        #expect(!defaults.flag("json"))
    }

    @Test(arguments: [
        (["--fromat", "dot"], "unknown option '--fromat' (did you mean '--format'?)"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
        (["-x"], "unknown option '-x'"),
        (["--format"], "option '--format' needs a value"),
        (["--format", "dot", "--json=yes"], "option '--json' takes no value"),
        (["a.yaml"], "missing --format mermaid|dot"),
    ])
    func usageErrorsNameTheArgument(words: [String], message: String) {
        do {
            _ = try Self.table.parse(words)
            Issue.record("\(words) parsed")
        } catch let error as UsageError {
            #expect(error.message == message)
            #expect(error.usage == Self.table.usage)
        } catch {
            Issue.record("\(error)")
        }
    }

    /// A command is dispatched by the last word of its table's command, so the name and the
    /// usage line cannot disagree.
    @Test func theTableNamesTheCommand() {
        #expect(Self.table.name == "demo")
        #expect(OptionTable("baton model generate", []).name == "generate")
        #expect(OptionTable("baton-bench prompt", []).name == "prompt")
    }

    /// A count with a default in the table reads as that default when absent, as given when
    /// given; anything but a positive integer is a usage error.
    @Test func positiveCountsFallBackOnTheTablesDefault() throws {
        let table = OptionTable("baton x", [.option("runs", value: "N", help: "Runs.", default: "21"), .option("size", value: "N", help: "Size.")])
        #expect(try table.parse([]).positiveCount("runs", usage: table.usage) == 21)
        #expect(try table.parse(["--runs", "3"]).positiveCount("runs", usage: table.usage) == 3)
        for (words, message) in [(["--runs", "0"], "--runs must be a positive integer, found '0'"), (["--runs=x"], "--runs must be a positive integer, found 'x'"),
                                 ([], "missing --size")] {
            let name = words.isEmpty ? "size" : "runs"
            do {
                _ = try table.parse(words).positiveCount(name, usage: table.usage)
                Issue.record("\(words) read")
            } catch let error as UsageError {
                #expect(error.message == message)
            }
        }
    }

    @Test func completionOffersTheOptionsAndHelp() {
        #expect(Self.table.optionWords == ["--input", "--out", "--format", "--json", "--help"])
    }

    /// Through the real binary: a misspelt option of a converted command gets a hint and exit 64.
    @Test func aMisspeltOptionGetsADidYouMean() throws {
        let result = try BatonProcess.run(["validate", "--jsno", "x.yaml"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: unknown option '--jsno' (did you mean '--json'?)\nUSAGE: baton validate FILE|FOLDER... [--json]\n")
    }

    /// The words listed under `heading` (`COMMANDS:`, `SUBCOMMANDS:`) of a help text.
    static func listed(under heading: String, in help: String) -> [String] {
        guard let start = help.range(of: heading + "\n") else { return [] }
        let section = help[start.upperBound...].components(separatedBy: "\n\n").first ?? ""
        return section.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// Every command and subcommand (the benchmarks, another executable, left out): `--help`
    /// exits 0, and an unknown option exits 64 with the same usage lines `--help` starts with,
    /// so help and parsing cannot tell different stories.
    @Test func everyCommandsUsageErrorShowsItsHelpsUsage() throws {
        let overview = try BatonProcess.run(["--help"])
        let commands = Self.listed(under: "COMMANDS:", in: overview.stdout).filter { $0 != "bench" }
        #expect(commands.count >= 20, "\(commands)")
        var checked = 0
        for command in commands {
            let help = try BatonProcess.run([command, "--help"])
            let subcommands = Self.listed(under: "SUBCOMMANDS:", in: help.stdout)
            for words in subcommands.isEmpty ? [[command]] : subcommands.map({ [command, $0] }) {
                let help = try BatonProcess.run(words + ["--help"])
                #expect(help.status == 0, "\(words)")
                let usage = help.stdout.components(separatedBy: "\n\n").first ?? ""
                let error = try BatonProcess.run(words + ["--bogus-option"])
                #expect(error.status == 64, "\(words)")
                #expect(error.stderr == "error: unknown option '--bogus-option'\n" + usage + "\n", "\(words)")
                checked += 1
            }
        }
        #expect(checked >= 30)
    }
}

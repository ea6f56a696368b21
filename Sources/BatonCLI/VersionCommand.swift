import Base
import CommandKit

/// `baton version`: prints Baton's version.
struct VersionCommand: TableCommand {
    static let abstract = "Print Baton's version."
    static let options = OptionTable("baton version", [])
    static let discussion = "Prints the version of this Baton build."
    static let version = BatonVersion.current

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        printOut("baton \(version)")
        return 0
    }
}

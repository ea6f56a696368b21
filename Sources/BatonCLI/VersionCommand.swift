import Base
import CommandKit

/// `baton version`: prints Baton's version.
struct VersionCommand: Command {
    static let name = "version"
    static let abstract = "Print Baton's version."
    static let help = """
        USAGE: baton version

        Prints the version of this Baton build.
        """
    static let version = BatonVersion.current

    static func run(_ arguments: [String]) throws -> Int32 {
        _ = try ParsedArguments(arguments, valued: [], booleans: [], usage: "USAGE: baton version")
        printOut("baton \(version)")
        return 0
    }
}

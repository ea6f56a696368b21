import Foundation

/// One subcommand of a Baton executable (`baton validate`, `baton-bench runtime`, ...): a small
/// value with a one-line abstract and a usage line.
///
/// `run` returns the process exit status: 0 success, 1 failure. Usage errors are thrown as
/// `UsageError` and exit 64 with the usage line, like swift-argument-parser's commands.
public protocol Command: Sendable {
    /// The word after the program name (`validate`, `run`, ...).
    static var name: String { get }
    /// One line for `--help` listings.
    static var abstract: String { get }
    /// The full `--help` text, starting with the usage line.
    static var help: String { get }
    /// Runs the command on the arguments that follow its name.
    ///
    /// `async` so that a command awaits its work (a run, the scheduler's loop) on the process's
    /// async entry point instead of blocking a thread on a semaphore; a command with nothing to
    /// await may implement it as a plain `throws` function.
    static func run(_ arguments: [String]) async throws -> Int32
}

/// A command line the command cannot make sense of; exits 64 with the usage line.
public struct UsageError: Error, CustomStringConvertible {
    public var message: String
    public var usage: String
    public var description: String { "error: \(message)\n\(usage)" }

    public init(message: String, usage: String) {
        self.message = message
        self.usage = usage
    }
}

/// Text written to standard error (diagnostics never go to stdout).
public func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Text written to standard output without buffering surprises between stdout and stderr.
public func printOut(_ text: String, terminator: String = "\n") {
    FileHandle.standardOutput.write(Data((text + terminator).utf8))
}

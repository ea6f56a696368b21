/// A small command-line parser: `--name value`, `--name=value`, repeated options, boolean flags
/// and positionals, with `--` ending the options.
///
/// Commands declare what they accept in an `OptionTable`, which fills it in; anything else is
/// a `UsageError` naming the argument.
public struct ParsedArguments: Sendable {
    public var positionals: [String] = []
    public var options: [String: [String]] = [:]
    public var flags: Set<String> = []
    /// What `value` gives for an option that was not given (the table's defaults).
    public var defaults: [String: String] = [:]

    /// Nothing parsed yet (`OptionTable.parse` fills it in).
    public init() {}

    /// The last value given for an option, if any.
    public func value(_ name: String) -> String? { options[name]?.last ?? defaults[name] }
    /// Every value given for a repeatable option, in order.
    public func values(_ name: String) -> [String] { options[name] ?? [] }
    /// Whether a boolean flag was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The value of `--name` as a positive integer, if given; anything else is a usage error.
    public func positiveInteger(_ name: String, usage: String) throws -> Int? {
        guard let value = value(name) else { return nil }
        guard let number = Int(value), number > 0 else {
            throw UsageError(message: "--\(name) must be a positive integer, found '\(value)'", usage: usage)
        }
        return number
    }

    /// The value of `--name` as a positive integer: the one given, else the table's default (for
    /// an option declared with one, so the default is written once, where `--help` shows it);
    /// anything else is a usage error.
    public func positiveCount(_ name: String, usage: String) throws -> Int {
        guard let number = try positiveInteger(name, usage: usage) else {
            throw UsageError(message: "missing --\(name)", usage: usage)
        }
        return number
    }

    /// The value of `--name` as a finite number, if given; anything else is a usage error.
    public func finiteNumber(_ name: String, usage: String) throws -> Float? {
        guard let value = value(name) else { return nil }
        guard let number = Float(value), number.isFinite else {
            throw UsageError(message: "--\(name) must be a number, found '\(value)'", usage: usage)
        }
        return number
    }
}

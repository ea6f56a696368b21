/// Why a cron expression was rejected, and where: `column` is 1-based within the expression so
/// that a caller can add it to the column of the YAML scalar that holds the expression.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, one line, without the location.
    public var message: String
    /// 1-based column within the expression text where the problem starts.
    public var column: Int

    /// `column N: message`.
    public var description: String { "column \(column): \(message)" }
}

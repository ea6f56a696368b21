import Base
/// How a failure that is not a usage error reaches the user: one line on standard error.
///
/// Baton's own errors already read `FILE: error: MESSAGE` (the compilers' format, so editors can
/// jump to the place); they are printed as they are. Anything else gets the `error: ` prefix.
public enum ErrorReport {
    /// The line printed for `error`.
    /// Foundation's file errors read as a plain reason (`is a directory`), never as
    /// `NSCocoaErrorDomain error 256` (see `SystemErrorText`).
    public static func line(for error: any Error) -> String {
        let text = SystemErrorText.message(for: error)
        return text.hasPrefix("error: ") || text.contains(": error: ") ? text : "error: " + text
    }

    /// Runs `body`; a usage error propagates (exit 64 with the usage line), any other error is
    /// printed as one line and the status is 1.
    public static func reporting(_ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let error as UsageError {
            throw error
        } catch {
            printError(line(for: error))
            return 1
        }
    }

    /// `reporting` for a body that awaits (a run, a stream).
    public static func reporting(_ body: () async throws -> Int32) async throws -> Int32 {
        do {
            return try await body()
        } catch let error as UsageError {
            throw error
        } catch {
            printError(line(for: error))
            return 1
        }
    }
}

/// Why compressed data could not be inflated, and where: the byte offset into the compressed
/// input at which the decoder noticed.
public struct InflateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The data ends before the last block does.
        case truncated
        /// A header, code or distance that DEFLATE (or zlib) does not allow.
        case invalid
        /// The output would pass the caller's limit (a zip bomb, or a lying size).
        case outputLimit
        /// The zlib Adler-32 does not match the inflated bytes.
        case checksum
    }

    public var reason: Reason
    public var byteOffset: Int
    public var message: String

    public init(_ reason: Reason, at byteOffset: Int, _ message: String) {
        self.reason = reason
        self.byteOffset = byteOffset
        self.message = message
    }

    public var description: String { "byte \(byteOffset) of the compressed data: \(message)" }
}

/// Baton's version, in one place: `baton version` prints it and HTTP requests name it in their
/// `User-Agent`, so a server's logs say which Baton sent a request.
public enum BatonVersion {
    public static let current = "0.1.0"

    /// `baton/0.1.0`.
    public static var userAgent: String { "baton/\(current)" }
}

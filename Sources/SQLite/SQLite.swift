/// The SQLite module. See Documentation/Architecture.md.
public enum SQLiteModule {
    /// The module's name, used in diagnostics.
    public static let name = "SQLite"
}

/// The Retrieval module. See Documentation/Architecture.md.
public enum RetrievalModule {
    /// The module's name, used in diagnostics.
    public static let name = "Retrieval"
}

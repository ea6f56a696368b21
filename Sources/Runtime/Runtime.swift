/// The Runtime module. See Documentation/Architecture.md.
public enum RuntimeModule {
    /// The module's name, used in diagnostics.
    public static let name = "Runtime"
}

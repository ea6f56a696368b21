/// The Engine module. See Documentation/Architecture.md.
public enum EngineModule {
    /// The module's name, used in diagnostics.
    public static let name = "Engine"
}

/// The YAML module. See Documentation/Architecture.md.
public enum YAMLModule {
    /// The module's name, used in diagnostics.
    public static let name = "YAML"
}

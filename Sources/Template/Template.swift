/// The Template module. See Documentation/Architecture.md.
public enum TemplateModule {
    /// The module's name, used in diagnostics.
    public static let name = "Template"
}

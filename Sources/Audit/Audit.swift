/// The Audit module. See Documentation/Architecture.md.
public enum AuditModule {
    /// The module's name, used in diagnostics.
    public static let name = "Audit"
}

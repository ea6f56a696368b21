/// The Workflow module. See Documentation/Architecture.md.
public enum WorkflowModule {
    /// The module's name, used in diagnostics.
    public static let name = "Workflow"
}

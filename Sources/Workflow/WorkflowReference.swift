/// A name a template reads, resolved at load time into what it points at.
///
/// `{{ steps.copy.output }}` becomes `.step("copy")` with path `["steps", "copy", "output"]`;
/// these references are what make the dependency graph.
public struct WorkflowReference: Sendable, Hashable {
    /// What the reference points at.
    public enum Target: Sendable, Hashable {
        /// `inputs.NAME`
        case input(String)
        /// `steps.ID...`
        case step(String)
        /// `models.NAME...`
        case model(String)
        /// `knowledge.NAME...`
        case knowledge(String)
        /// A name the step provides itself: `item`, `index`, `documents`, `text`, `output`, `run`, ...
        case local(String)
    }

    public var target: Target
    /// The whole dotted path as read (`["steps", "facts", "output", "slogans"]`).
    public var path: [String]
    /// Where in the workflow file the reference is written.
    public var location: SourceLocation

    public init(target: Target, path: [String], location: SourceLocation) {
        self.target = target
        self.path = path
        self.location = location
    }

    /// The referenced step's id, when the target is a step.
    public var stepID: String? {
        if case .step(let id) = target { return id }
        return nil
    }

    /// The path joined with dots: `steps.copy.output`.
    public var dottedPath: String { path.joined(separator: ".") }
}

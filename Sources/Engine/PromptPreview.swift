import Base
import Template
import Workflow

/// The messages a model step sends, for `baton render`: built by the engine's own code
/// (`StepPrompt.make`, the recipes and the glossary terms that occur in the text), so a preview
/// shows exactly what a run would send for the same context.
public enum PromptPreview {
    /// The messages of `action` rendered in `context` (a run's template variables plus the
    /// step's locals). `rag_query` needs its search results and is not previewed here.
    public static func messages(_ action: StepAction, context: [String: Value], workflow: Workflow) throws -> [ChatMessage] {
        try StepPrompt.make(action, context: context, workflow: workflow).messages
    }
}

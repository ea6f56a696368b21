import Base
import Template

/// One step of a workflow, with `defaults:` already applied.
///
/// The values here are the effective ones: `model` is the step's own or the default model,
/// `sampling` merges the step's parameters over the defaults, `retry`, `timeout` and `onError`
/// likewise. `needs` holds every step this one waits for: the explicit `needs:` plus every step
/// its templates read.
public struct Step: Sendable, Equatable {
    /// Unique within the workflow; templates read its results as `steps.ID.output`.
    public var id: String
    public var action: StepAction
    /// Steps that must finish first, in declaration order: explicit `needs:` and template references.
    public var needs: [String] = []
    /// Only the ids written under `needs:`.
    public var explicitNeeds: [String] = []
    /// The step runs only when this is true (`when: "{{ inputs.tone != 'playful' }}"` or a bare expression).
    public var when: TemplateField?
    /// Runs the step once per item of a list.
    public var forEach: ForEach?
    /// The model to use (a name from `models:`); `nil` for steps that use none.
    public var model: String?
    public var sampling: Sampling = Sampling()
    public var retry: RetryPolicy = .none
    /// `nil`: no time limit.
    public var timeout: Duration?
    public var onError: ErrorPolicy = .continue
    /// Files written after the step (per item for `for_each`); their templates also see `output`.
    public var files: [OutputFile] = []
    public var description: String?
    /// Every workflow name read by the step's templates (`when`, `for_each`, action fields, files).
    public var references: [WorkflowReference] = []
    /// Where the step's `id` is written.
    public var location: SourceLocation

    public var kind: StepKind { action.kind }
}

/// `for_each:` — the list a step is mapped over, and how many items run at once.
///
/// ```yaml
/// for_each: "{{ steps.releases.output }}"                       # short form
/// for_each: { items: "{{ inputs.products }}", concurrency: 4 }   # with a bound
/// ```
/// Each item is its own audited iteration; templates of the step see it as `item` and its
/// 0-based position as `index`.
public struct ForEach: Sendable, Equatable {
    public enum Items: Sendable, Equatable {
        /// An expression evaluated at run time (use `TemplateField.evaluate`).
        case expression(TemplateField)
        /// A list written out in YAML.
        case literal([Value])
    }

    public var items: Items
    /// The most items in flight at once; `nil` uses `defaults.concurrency` or the engine's default.
    public var concurrency: Int?
}

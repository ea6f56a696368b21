/// What a run hands back (`outputs:`): named values and files.
///
/// ```yaml
/// outputs:
///   slogans: "{{ steps.facts.output.slogans }}"
///   files:
///     - { path: "{{ inputs.product | slug }}/press-en.md", content: "{{ steps.press_en.output }}" }
/// ```
/// Every key except `files` is a value.
public struct Outputs: Sendable, Equatable {
    public var values: [OutputValue] = []
    public var files: [OutputFile] = []
}

/// One named output value; a single `{{ expression }}` keeps its type (see `TemplateField.evaluate`).
public struct OutputValue: Sendable, Equatable {
    public var name: String
    public var value: TemplateField
}

/// A file a run writes: both the path and the content are templates. Paths are relative to the
/// run's output folder; the engine refuses absolute paths and `..`.
public struct OutputFile: Sendable, Equatable {
    public var path: TemplateField
    public var content: TemplateField
    public var location: SourceLocation
}

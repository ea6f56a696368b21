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
    public var values: [OutputValue]
    public var files: [OutputFile]

    public init(values: [OutputValue] = [], files: [OutputFile] = []) {
        self.values = values
        self.files = files
    }
}

/// One named output value; a single `{{ expression }}` keeps its type (see `TemplateField.evaluate`).
public struct OutputValue: Sendable, Equatable {
    public var name: String
    public var value: TemplateField

    public init(name: String, value: TemplateField) {
        self.name = name
        self.value = value
    }
}

/// A file a run writes: both the path and the content are templates. Paths are relative to the
/// run's output folder; the engine refuses absolute paths and `..`.
public struct OutputFile: Sendable, Equatable {
    public var path: TemplateField
    public var content: TemplateField
    public var location: SourceLocation

    public init(path: TemplateField, content: TemplateField, location: SourceLocation) {
        self.path = path
        self.content = content
        self.location = location
    }
}

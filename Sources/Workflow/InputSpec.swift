import Template

/// One declared input of a workflow (`inputs:` in the YAML).
///
/// ```yaml
/// inputs:
///   product:  { type: string, description: 제품명 }
///   tone:     { type: enum, values: [friendly, formal, playful], default: friendly }
///   channels: { type: list, items: string, default: [instagram, youtube] }
///   brief:    { type: file }          # the value is the file's text
///   folder:   { type: path, default: ../Examples/briefs }   # the value is the path, located
///   token:    { type: string, secret: true, required: false }
/// ```
public struct InputSpec: Sendable, Equatable {
    /// The name templates use: `{{ inputs.product }}`.
    public var name: String
    public var type: InputType
    /// The value used when none is given. For `file` inputs, a path (read when inputs are resolved).
    public var defaultValue: Value?
    /// Whether a run must supply a value. Defaults to `true` unless a `default` is declared.
    public var required: Bool = true
    /// Secret values never reach the audit store or the terminal: they are shown as `***`.
    public var secret: Bool = false
    public var description: String?
    /// Where the input's name is written.
    public var location: SourceLocation
}

/// The type of an input. Values given on the command line are strings and are converted to it.
public indirect enum InputType: Sendable, Equatable, CustomStringConvertible {
    case string
    /// A floating-point number (`0.5`, `3`).
    case number
    case integer
    /// `true`/`false` (the command line also takes `yes`/`no`, `1`/`0`).
    case boolean
    /// One of the listed strings.
    case enumeration([String])
    /// A list; `items` is the element type when declared (`items: string`).
    case list(items: InputType?)
    /// A path whose file's UTF-8 text becomes the value.
    case file
    /// A file or folder path, itself the value (for `read` paths and globs): one given on the
    /// command line is relative to the working directory, a default (or a schedule's value) to
    /// the workflow's folder; made absolute when those differ, so it names the same place
    /// whichever folder the run starts from.
    case path

    /// The spelling in YAML (`string`, `enum`, `list`, ...).
    public var description: String {
        switch self {
        case .string: return "string"
        case .number: return "number"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .enumeration: return "enum"
        case .list: return "list"
        case .file: return "file"
        case .path: return "path"
        }
    }

    /// Every type name the `type:` key accepts.
    public static let names = ["string", "number", "integer", "boolean", "enum", "list", "file", "path"]
}

import Template

/// The shape of the JSON an `extract` step must produce, written compactly in YAML:
///
/// ```yaml
/// schema:
///   slogans: [string]        # a list of strings
///   body: string
///   score: number?           # `?`: the field may be missing or null
///   tone: [friendly, formal] # a list of two or more words: one of them (an enum)
/// ```
public indirect enum OutputSchema: Sendable, Equatable {
    case string
    case number
    case integer
    case boolean
    case enumeration([String])
    case list(OutputSchema)
    case object([Field])

    /// One field of an object.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var schema: OutputSchema
        public var optional: Bool

        public init(name: String, schema: OutputSchema, optional: Bool = false) {
            self.name = name
            self.schema = schema
            self.optional = optional
        }
    }

    /// The scalar type names the compact form accepts.
    public static let typeNames = ["string", "number", "integer", "boolean"]

    /// The same shape as a JSON Schema document (compact JSON, keys in a stable order), for
    /// servers' JSON mode and for prompts.
    public var jsonSchema: String {
        switch self {
        case .string: return #"{"type":"string"}"#
        case .number: return #"{"type":"number"}"#
        case .integer: return #"{"type":"integer"}"#
        case .boolean: return #"{"type":"boolean"}"#
        case .enumeration(let values):
            return #"{"type":"string","enum":["# + values.map(OutputSchema.quoted).joined(separator: ",") + "]}"
        case .list(let element):
            return #"{"type":"array","items":"# + element.jsonSchema + "}"
        case .object(let fields):
            let properties = fields.map { OutputSchema.quoted($0.name) + ":" + $0.schema.jsonSchema }.joined(separator: ",")
            let required = fields.filter { !$0.optional }.map { OutputSchema.quoted($0.name) }.joined(separator: ",")
            return #"{"type":"object","properties":{"# + properties + #"},"required":["# + required + "]}"
        }
    }

    /// The same shape as JSON Schema with every `?` field also allowing `null`: what prompts
    /// and repair messages show a model, so that it may answer `null` for a fact the text lacks
    /// instead of inventing one. (`jsonSchema` stays the plain subset the local constrained
    /// decoder reads; it makes fields outside `required` nullable by itself.)
    public var jsonSchemaAllowingNull: String {
        switch self {
        case .list(let element):
            return #"{"type":"array","items":"# + element.jsonSchemaAllowingNull + "}"
        case .object(let fields):
            let properties = fields.map { OutputSchema.quoted($0.name) + ":" + ($0.optional ? $0.schema.nullableJSONSchema : $0.schema.jsonSchemaAllowingNull) }
                .joined(separator: ",")
            let required = fields.filter { !$0.optional }.map { OutputSchema.quoted($0.name) }.joined(separator: ",")
            return #"{"type":"object","properties":{"# + properties + #"},"required":["# + required + "]}"
        default:
            return jsonSchema
        }
    }

    /// The JSON Schema of a `?` field, which may also be `null` (a server in JSON-schema mode
    /// may then answer `null` for a fact the text lacks, instead of inventing one).
    var nullableJSONSchema: String {
        switch self {
        case .string, .number, .integer, .boolean:
            return #"{"type":[""# + typeKeyword + #"","null"]}"#
        case .enumeration(let values):
            return #"{"type":["string","null"],"enum":["# + (values.map(OutputSchema.quoted) + ["null"]).joined(separator: ",") + "]}"
        case .list, .object:
            return #"{"anyOf":["# + jsonSchemaAllowingNull + #",{"type":"null"}]}"#
        }
    }

    private var typeKeyword: String {
        switch self {
        case .string, .enumeration: return "string"
        case .number: return "number"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .list: return "array"
        case .object: return "object"
        }
    }

    /// The field names of an object schema (empty for other shapes).
    public var fieldNames: [String] {
        if case .object(let fields) = self { return fields.map(\.name) }
        return []
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        Value.string(text).jsonString()
    }
}

import Foundation

/// The shape a JSON value must have: the subset of JSON Schema Baton's `extract` steps declare,
/// one type from the workflow's YAML to the local runtime's constrained decoder.
///
/// Workflow decodes it from the compact YAML form; the engine checks answers against it; servers
/// get it printed as JSON Schema (`jsonSchema`); the local runtime steers decoding by it
/// directly (keys in order, typed values), with no JSON Schema text in between. It lives in
/// `Template` beside `Value` and the JSON reader and writer, which both sides already import.
///
/// Compact YAML form:
///
/// ```yaml
/// schema:
///   slogans: [string]        # a list of strings
///   body: string
///   score: number?           # `?`: the field may be missing or null
///   tone: [friendly, formal] # a list of two or more words: one of them (an enum)
/// ```
public indirect enum JSONShape: Sendable, Equatable {
    case string
    case number
    case integer
    case boolean
    case enumeration([String])
    case list(JSONShape)
    case object([Field])

    /// One field of an object.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var schema: JSONShape
        public var optional: Bool

        public init(name: String, schema: JSONShape, optional: Bool = false) {
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
            return #"{"type":"string","enum":["# + values.map(JSONShape.quoted).joined(separator: ",") + "]}"
        case .list(let element):
            return #"{"type":"array","items":"# + element.jsonSchema + "}"
        case .object(let fields):
            let properties = fields.map { JSONShape.quoted($0.name) + ":" + $0.schema.jsonSchema }.joined(separator: ",")
            let required = fields.filter { !$0.optional }.map { JSONShape.quoted($0.name) }.joined(separator: ",")
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
            let properties = fields.map { JSONShape.quoted($0.name) + ":" + ($0.optional ? $0.schema.nullableJSONSchema : $0.schema.jsonSchemaAllowingNull) }
                .joined(separator: ",")
            let required = fields.filter { !$0.optional }.map { JSONShape.quoted($0.name) }.joined(separator: ",")
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
            return #"{"type":["string","null"],"enum":["# + (values.map(JSONShape.quoted) + ["null"]).joined(separator: ",") + "]}"
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

    /// Reads a JSON Schema document (`type` string/number/integer/boolean/array/object, `enum`
    /// of strings, `items`, `properties` in document order, `required`). Nil when the document
    /// uses anything else, so the caller falls back to plain JSON-object decoding rather than
    /// constraining to a guess.
    public init?(jsonSchema: String) {
        guard let document = try? Value(json: Data(jsonSchema.utf8)), let shape = JSONShape(schema: document) else { return nil }
        self = shape
    }

    private init?(schema: Value) {
        guard case .dict(let node) = schema, case .string(let type)? = node["type"] else { return nil }
        switch type {
        case "string":
            guard let values = node["enum"] else { self = .string; return }
            guard case .list(let items) = values, !items.isEmpty else { return nil }
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else { return nil }
                strings.append(text)
            }
            self = .enumeration(strings)
        case "number": self = .number
        case "integer": self = .integer
        case "boolean": self = .boolean
        case "array":
            guard let items = node["items"], let element = JSONShape(schema: items) else { return nil }
            self = .list(element)
        case "object":
            guard case .dict(let properties)? = node["properties"] else { return nil }
            var required: Set<String> = []
            if case .list(let names)? = node["required"] {
                for case .string(let name) in names { required.insert(name) }
            }
            var fields: [Field] = []
            for name in properties.keys {
                guard let value = properties[name], let shape = JSONShape(schema: value) else { return nil }
                fields.append(Field(name: name, schema: shape, optional: !required.contains(name)))
            }
            self = .object(fields)
        default:
            return nil
        }
    }
}

import Foundation
import Template

/// The shape a JSON answer must have, for schema-constrained decoding (`JSONShapeValidator`):
/// the subset of JSON Schema that Baton's `extract` steps write (Workflow's `OutputSchema`).
///
/// Why a shape and not full JSON Schema: a small model left to "any JSON object" invents key
/// names and types; steering it through the exact keys, in order, with values of the right kind,
/// is what makes a 135M-parameter model's extraction pass validation at the first attempt.
public indirect enum JSONShape: Sendable, Equatable {
    case string
    case number
    case integer
    case boolean
    /// A string that must be one of these values.
    case enumeration([String])
    case array(JSONShape)
    /// An object with exactly these members, written in this order.
    case object([Field])

    public struct Field: Sendable, Equatable {
        public var name: String
        public var shape: JSONShape
        /// May be `null` (JSON Schema: not listed in `required`).
        public var nullable: Bool

        public init(name: String, shape: JSONShape, nullable: Bool = false) {
            self.name = name
            self.shape = shape
            self.nullable = nullable
        }
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
            self = .array(element)
        case "object":
            guard case .dict(let properties)? = node["properties"] else { return nil }
            var required: Set<String> = []
            if case .list(let names)? = node["required"] {
                for case .string(let name) in names { required.insert(name) }
            }
            var fields: [Field] = []
            for name in properties.keys {
                guard let value = properties[name], let shape = JSONShape(schema: value) else { return nil }
                fields.append(Field(name: name, shape: shape, nullable: !required.contains(name)))
            }
            self = .object(fields)
        default:
            return nil
        }
    }

    /// `text` as the bytes between the quotes of its JSON string literal.
    static func escapedBytes(_ text: String) -> [UInt8] {
        Array(Value.string(text).jsonString().utf8.dropFirst().dropLast())
    }
}

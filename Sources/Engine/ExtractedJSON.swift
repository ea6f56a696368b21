import Foundation
import Providers
import Template
import Workflow

/// Turns an `extract` step's model answer into a value that follows the step's schema.
///
/// Models often wrap JSON in a Markdown fence or a sentence; the parser takes the outermost
/// `{...}` (or `[...]`) of the answer. Every way the value departs from the schema is named,
/// with its JSON path, so the repair prompt can tell the model exactly what to fix.
enum ExtractedJSON {
    /// Why an answer was refused.
    struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Parses and validates `text` against `schema`.
    static func parse(_ text: String, schema: JSONShape) throws(Problem) -> Value {
        guard let json = jsonPart(of: text) else {
            throw Problem(message: "the answer contains no JSON \(schema.isObject ? "object" : "value")")
        }
        let value: Value
        do {
            value = try Value(json: Data(json.utf8))
        } catch {
            throw Problem(message: "the answer is not valid JSON (\(error))")
        }
        let problems = check(value, against: schema, path: "$")
        guard problems.isEmpty else { throw Problem(message: problems.joined(separator: "; ")) }
        return completed(value, schema: schema)
    }

    /// `value` (already checked) with every optional field the answer left out present as
    /// `none`, so that templates read `f.price` as none (`or`, `default(x, true)`, `is none`)
    /// instead of failing on a missing attribute, and every item has the same keys.
    static func completed(_ value: Value, schema: JSONShape) -> Value {
        switch (schema, value) {
        case (.list(let element), .list(let items)):
            return .list(items.map { completed($0, schema: element) })
        case (.object(let fields), .dict(let dictionary)):
            var out = dictionary
            for field in fields {
                if let member = dictionary[field.name], member != .none {
                    out[field.name] = completed(member, schema: field.schema)
                } else {
                    out[field.name] = Value.none
                }
            }
            return .dict(out)
        default:
            return value
        }
    }

    /// The JSON text inside an answer: the whole answer, or its outermost bracketed part.
    static func jsonPart(of text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let first = trimmed.first, first == "{" || first == "[" , let last = trimmed.last, last == "}" || last == "]" {
            return trimmed
        }
        for (open, close) in [("{", "}"), ("[", "]")] {
            if let start = trimmed.firstIndex(of: Character(open)), let end = trimmed.lastIndex(of: Character(close)), start < end {
                return String(trimmed[start...end])
            }
        }
        return nil
    }

    /// Every mismatch between `value` and `schema`, as `path: problem`.
    static func check(_ value: Value, against schema: JSONShape, path: String) -> [String] {
        switch (schema, value) {
        case (.string, .string), (.boolean, .bool), (.integer, .int), (.number, .int), (.number, .double):
            return []
        case (.integer, .double(let double)) where double == double.rounded():
            return []
        case (.enumeration(let allowed), .string(let text)):
            return allowed.contains(text) ? [] : ["\(path): '\(text)' is not one of \(allowed.joined(separator: ", "))"]
        case (.list(let element), .list(let items)):
            return items.enumerated().flatMap { check($1, against: element, path: "\(path)[\($0)]") }
        case (.object(let fields), .dict(let dictionary)):
            var problems: [String] = []
            for field in fields {
                guard let member = dictionary[field.name], member != .none else {
                    if !field.optional { problems.append("\(path).\(field.name): missing") }
                    continue
                }
                problems += check(member, against: field.schema, path: "\(path).\(field.name)")
            }
            return problems
        default:
            return ["\(path): expected \(schema.typeName), found \(typeName(of: value))"]
        }
    }

    static func typeName(of value: Value) -> String {
        switch value {
        case .none: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .list: return "an array"
        case .dict: return "an object"
        }
    }
}

extension JSONShape {
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// The schema's type in words, for validation messages.
    var typeName: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .integer: return "an integer"
        case .boolean: return "a boolean"
        case .enumeration: return "a string"
        case .list: return "an array"
        case .object: return "an object"
        }
    }
}

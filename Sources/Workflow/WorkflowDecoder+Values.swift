import Base
import YAML
import Template

/// Typed readers for scalar fields. Each reports "expected a number for 'top_p', found 'high'"
/// and returns nil when the node does not fit.
extension WorkflowDecoder {
    /// A string scalar (plain or quoted; numbers and booleans are taken as their text).
    mutating func string(_ node: Node?, _ key: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            error("expected a string for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        return scalar.value
    }

    /// A non-empty name (a model, a knowledge base, a language code).
    mutating func nonEmpty(_ node: Node?, _ key: String) -> String? {
        guard let text = string(node, key), let node else { return nil }
        if text.trimmingWhitespace().isEmpty {
            error("'\(key)' must not be empty", at: node.mark)
            return nil
        }
        return text
    }

    mutating func integer(_ node: Node?, _ key: String, minimum: Int? = nil) -> Int? {
        guard let node else { return nil }
        guard let scalar = node.scalar, scalar.style == .plain, let value = Int(scalar.value) else {
            error("expected an integer for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        if let minimum, value < minimum {
            error("'\(key)' must be at least \(minimum), found \(value)", at: node.mark)
            return nil
        }
        return value
    }

    mutating func number(_ node: Node?, _ key: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let node else { return nil }
        guard let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.value), value.isFinite else {
            error("expected a number for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        if let range, !range.contains(value) {
            error("'\(key)' must be between \(WorkflowDecoder.format(range.lowerBound)) and \(WorkflowDecoder.format(range.upperBound)), found \(scalar.value)", at: node.mark)
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node?, _ key: String) -> Bool? {
        guard let node else { return nil }
        guard let scalar = node.scalar, scalar.style == .plain, let value = WorkflowDecoder.booleanValue(scalar.value) else {
            error("expected true or false for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        return value
    }

    /// `500ms`, `30s`, `2m`, `1h30m`.
    mutating func duration(_ node: Node?, _ key: String) -> Duration? {
        guard let node else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            error("expected a duration for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        guard let duration = DurationText.parse(scalar.value) else {
            error("invalid duration '\(scalar.value)' for '\(key)' (write e.g. 500ms, 30s, 2m, 1h30m)", at: node.mark)
            return nil
        }
        return duration
    }

    /// One of a fixed set of words (`bullets|prose`).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: Node?, _ key: String, as type: T.Type) -> T? where T.RawValue == String {
        guard let text = string(node, key), let node else { return nil }
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        error("'\(text.shortened())' is not a valid '\(key)' (expected \(names.joined(separator: " or ")))\(Suggestion.hint(for: text, in: names))", at: node.mark)
        return nil
    }

    /// A list of strings; a single string is taken as a one-element list.
    mutating func stringList(_ node: Node?, _ key: String) -> [String]? {
        guard let node else { return nil }
        if let scalar = node.scalar, !scalar.isNull { return [scalar.value] }
        guard let items = node.sequence else {
            error("expected a list of strings for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        var result: [String] = []
        for item in items {
            if let text = string(item, key) { result.append(text) }
        }
        return result
    }

    /// Any YAML value as a template `Value`: plain scalars are typed (null, booleans, integers,
    /// numbers), quoted ones are strings, lists and mappings keep their order.
    func literalValue(_ node: Node) -> Value {
        switch node.content {
        case .scalar(let scalar):
            return WorkflowDecoder.scalarValue(scalar)
        case .sequence(let items):
            return .list(items.map(literalValue))
        case .mapping(let entries):
            var dictionary: ValueDictionary = [:]
            for entry in entries {
                dictionary[entry.key.scalar?.value ?? ""] = literalValue(entry.value)
            }
            return .dict(dictionary)
        }
    }

    /// The typed value of a scalar under YAML 1.2's core schema.
    static func scalarValue(_ scalar: Scalar) -> Value {
        if scalar.tag == "tag:yaml.org,2002:str" || scalar.style != .plain { return .string(scalar.value) }
        if scalar.isNull { return .none }
        if let bool = booleanValue(scalar.value) { return .bool(bool) }
        if let int = Int(scalar.value) { return .int(int) }
        if scalar.value.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let double = Double(scalar.value) {
            return .double(double)
        }
        return .string(scalar.value)
    }

    static func booleanValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

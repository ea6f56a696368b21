import Base
import YAML
import Template

extension WorkflowDecoder {
    static let inputKeys = ["type", "default", "required", "secret", "description", "values", "items"]

    /// `inputs:` — each input as a mapping, or the shorthand `name: type`.
    mutating func decodeInputs(_ node: Node?) -> [InputSpec] {
        guard let node else { return [] }
        var inputs: [InputSpec] = []
        for (name, key, value) in namedEntries(node, "inputs") {
            if !WorkflowDecoder.isIdentifier(name) {
                error("input name '\(name)' is not a valid name (letters, digits and '_', not starting with a digit)", at: key.mark)
                continue
            }
            if let input = decodeInput(name: name, key: key, value: value) { inputs.append(input) }
        }
        return inputs
    }

    private mutating func decodeInput(name: String, key: Node, value: Node) -> InputSpec? {
        let at = location(key.mark)
        if let scalar = value.scalar, !scalar.isNull {
            guard let type = inputType(scalar.value, values: nil, items: nil, at: value.mark, input: name) else { return nil }
            return InputSpec(name: name, type: type, location: at)
        }
        guard let fields = fields(value, "input '\(name)'", allowed: WorkflowDecoder.inputKeys) else { return nil }
        let typeName = string(fields["type"], "type") ?? (fields.has("values") ? "enum" : "string")
        var values: [String]?
        if let node = fields["values"] {
            values = stringList(node, "values")
            if values?.isEmpty == true { error("'values' of input '\(name)' must not be empty", at: node.mark) }
            if typeName != "enum" { error("'values' applies only to inputs of type enum", at: fields.keyMark("values") ?? node.mark) }
        }
        var items: InputType?
        if let node = fields["items"] {
            if typeName != "list" { error("'items' applies only to inputs of type list", at: fields.keyMark("items") ?? node.mark) }
            if let itemName = string(node, "items") {
                items = inputType(itemName, values: nil, items: nil, at: node.mark, input: name)
            }
        }
        guard let type = inputType(typeName, values: values, items: items, at: fields["type"]?.mark ?? value.mark, input: name) else { return nil }
        var defaultValue: Value?
        if let node = fields["default"], node.scalar?.isNull != true {
            defaultValue = checkedValue(node, type: type, what: "default of input '\(name)'")
        }
        let required = boolean(fields["required"], "required") ?? (fields["default"] == nil)
        return InputSpec(name: name, type: type, defaultValue: defaultValue, required: required,
                         secret: boolean(fields["secret"], "secret") ?? false,
                         description: string(fields["description"], "description"), location: at)
    }

    private mutating func inputType(_ name: String, values: [String]?, items: InputType?, at mark: Mark, input: String) -> InputType? {
        switch name {
        case "string": return .string
        case "number": return .number
        case "integer": return .integer
        case "boolean": return .boolean
        case "file": return .file
        case "path": return .path
        case "list": return .list(items: items)
        case "enum":
            guard let values else {
                error("input '\(input)' of type enum needs 'values'", at: mark)
                return nil
            }
            return .enumeration(values)
        default:
            error("unknown input type '\(name.shortened())' (expected \(InputType.names.joined(separator: ", ")))\(Suggestion.hint(for: name, in: InputType.names))", at: mark)
            return nil
        }
    }

    /// The value in `node` when it has `type`, else a diagnostic naming `what` and nil.
    mutating func checkedValue(_ node: Node, type: InputType, what: String) -> Value? {
        let value = literalValue(node)
        if let problem = InputBinding.problem(with: value, for: type) {
            error("\(what) \(problem)", at: node.mark)
            return nil
        }
        return InputBinding.coerced(value, to: type)
    }
}

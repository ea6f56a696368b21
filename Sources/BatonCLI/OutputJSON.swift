import Audit

/// JSON for `--json` output, with keys in the order written (so `id` comes first) and non-ASCII
/// text such as Korean kept as UTF-8, not `\u` escapes.
indirect enum OutputJSON {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    /// Text that is already JSON (e.g. a stored `inputs_json`), inserted as is.
    case raw(String)
    case array([OutputJSON])
    case object([(String, OutputJSON)])

    /// A string, or `null` for `nil`.
    static func string(_ value: String?) -> OutputJSON { value.map { .string($0) } ?? .null }
    /// An integer, or `null` for `nil`.
    static func int(_ value: Int?) -> OutputJSON { value.map { .int($0) } ?? .null }
    /// Stored JSON text, or `null` for `nil`.
    static func raw(_ value: String?) -> OutputJSON { value.map { .raw($0) } ?? .null }

    /// Pretty-printed with two-space indentation.
    func rendered(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .string(let value): return OutputJSON.quoted(value)
        case .raw(let value): return value
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            return "{\n" + fields.map { inner + OutputJSON.quoted($0.0) + ": " + $0.1.rendered(indent: inner) }.joined(separator: ",\n")
                + "\n" + indent + "}"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, nothing else.
    static func quoted(_ text: String) -> String { "\"" + JSONEscaping.escape(text) + "\"" }
}

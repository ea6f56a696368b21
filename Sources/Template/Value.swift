/// A template value: the JSON-shaped data a template reads and builds.
///
/// Mirrors the Python objects jinja2 works on (`None`, `bool`, `int`, `float`, `str`, `list`,
/// `dict`) so that rendering, comparisons and printing follow Python's rules exactly.
public enum Value: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case dict(ValueDictionary)

    /// Python's truthiness: `None`, `False`, zero, and empty strings, lists and dicts are false.
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .dict(let d): return !d.isEmpty
        }
    }

    /// Python's type name, as used in jinja2's messages (`'dict object' has no attribute 'x'`).
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .dict: return "dict"
        }
    }

    /// The string payload, if this is a string.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The list payload, if this is a list.
    public var list: [Value]? { if case .list(let l) = self { return l } else { return nil } }
    /// The dictionary payload, if this is a dict.
    public var dict: ValueDictionary? { if case .dict(let d) = self { return d } else { return nil } }
    /// The number as a Double, for ints, floats and bools (Python treats bools as ints).
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
}

extension Value {
    /// Whether lists and dicts nest more than `limit` levels deep (scalars are level 0).
    func nestingExceeds(_ limit: Int) -> Bool {
        switch self {
        case .list(let items):
            if limit <= 0 { return true }
            return items.contains { $0.nestingExceeds(limit - 1) }
        case .dict(let d):
            if limit <= 0 { return true }
            return d.values.contains { $0.nestingExceeds(limit - 1) }
        default:
            return false
        }
    }
}

extension Value: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .none }
}
extension Value: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
extension Value: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}
extension Value: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}
extension Value: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
extension Value: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
}
extension Value: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        var dict = ValueDictionary()
        for (key, value) in elements { dict[key] = value }
        self = .dict(dict)
    }
}

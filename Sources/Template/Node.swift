/// The parsed form of a template: statements holding expressions, each with its location.
indirect enum Node: Sendable {
    case text(String)
    /// `{{ expression }}`, at the position of its `{{`.
    case output(Expression, SourceLocation)
    case conditional(branches: [(condition: Expression, body: [Node])], otherwise: [Node]?)
    case loop(Loop)
    case assign(target: AssignTarget, value: Expression, location: SourceLocation)
    case assignBlock(name: String, body: [Node], filters: [FilterCall])
    case filterBlock(body: [Node], filters: [FilterCall])
    case macro(Macro)
}

/// `{% macro name(a, b='default') %}body{% endmacro %}`: a template function returning its
/// rendered body.
struct Macro: Sendable {
    var name: String
    var parameters: [(name: String, defaultValue: Expression?)]
    var body: [Node]
    var location: SourceLocation
}

/// `{% for targets in iterable if condition %}body{% else %}otherwise{% endfor %}`.
struct Loop: Sendable {
    var targets: [String]
    var iterable: Expression
    var condition: Expression?
    var body: [Node]
    var otherwise: [Node]?
    var location: SourceLocation
}

/// What `{% set %}` assigns to: names (tuple unpacking) or a namespace attribute.
enum AssignTarget: Sendable {
    case names([String])
    case attribute(namespace: String, attribute: String)
}

/// A filter application, resolved to a known filter at parse time.
struct FilterCall: Sendable {
    var filter: FilterName
    var arguments: [Expression]
    var keywords: [(name: String, value: Expression)]
    var location: SourceLocation
}

/// An expression.
indirect enum Expression: Sendable {
    case literal(Value)
    case name(String, SourceLocation)
    case list([Expression])
    case tuple([Expression])
    case dict([(key: Expression, value: Expression)])
    case attribute(Expression, String, SourceLocation)
    case item(Expression, Expression, SourceLocation)
    case slice(Expression, start: Expression?, stop: Expression?, step: Expression?, SourceLocation)
    case negate(Expression, SourceLocation)
    case plus(Expression, SourceLocation)
    case not(Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case binary(BinaryOperator, Expression, Expression, SourceLocation)
    /// `a < b <= c`: Python's chained comparison.
    case compare(Expression, [(op: CompareOperator, operand: Expression)], SourceLocation)
    case conditional(condition: Expression, then: Expression, otherwise: Expression?)
    case filter(Expression, FilterCall)
    case test(Expression, TestName, arguments: [Expression], negated: Bool, SourceLocation)
    case call(Expression, arguments: [Expression], keywords: [(name: String, value: Expression)], SourceLocation)
}

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", modulo = "%", power = "**", concat = "~"
}

enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", contains = "in", notContains = "not in"
}

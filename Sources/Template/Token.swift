import Base

/// One lexical token of a template: literal text, a tag delimiter, or a piece of an expression.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case text(String)
        case variableBegin, variableEnd, blockBegin, blockEnd
        case name(String)
        case string(String)
        case int(Int)
        case float(Double)
        case op(String)
        case end
    }
    var kind: Kind
    var location: SourceLocation
}

/// A 1-based line and column (in Unicode scalars) inside a template: the project's one position type.
typealias SourceLocation = SourcePosition

extension Token.Kind {
    /// How the token reads in an "unexpected ..." message.
    var display: String {
        switch self {
        case .text: return "text"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return "'%}'"
        case .name(let n): return "'\(n)'"
        case .string(let s): return "string '\(s)'"
        case .int(let i): return "integer \(i)"
        case .float(let d): return "float \(d)"
        case .op(let o): return "'\(o)'"
        case .end: return "end of template"
        }
    }
}

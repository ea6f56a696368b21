/// What an expression evaluates to while rendering: a plain `Value`, or one of the objects that
/// only exist inside a render (undefined, namespace, loop, built-in function).
enum RuntimeValue {
    case value(Value)
    /// Boxed: an undefined value is rare and large, and every other case is small.
    indirect case undefined(Undefined)
    case namespace(Namespace)
    case loop(LoopState)
    case builtin(Builtin)
    /// A `{% macro %}` bound by its definition.
    case macro(Macro)
    /// A loop's `cycle` method or another bound callable.
    case loopCycle(LoopState)
}

/// A missing name or attribute: jinja2's `Undefined`, which remembers why it is missing so the
/// error, raised only when the value is used, can say so. The message (with its did-you-mean
/// search) is only built when the error is raised: `x|default(...)` on a missing name is common
/// and must stay cheap.
struct Undefined {
    enum Reason {
        /// An unknown variable name.
        case name(String)
        /// A dict without the key, named by its static path when it has one (`steps.copy`).
        case key(String, of: ValueDictionary, path: String?)
        /// Any other reason, already worded.
        case text(String)
    }
    var reason: Reason
    var location: SourceLocation
    /// The implicit else of `x if c` is always jinja2's forgiving `Undefined`, even in strict mode.
    var forgiving = false

    init(message: String, location: SourceLocation, forgiving: Bool = false) {
        self.reason = .text(message)
        self.location = location
        self.forgiving = forgiving
    }

    init(reason: Reason, location: SourceLocation) {
        self.reason = reason
        self.location = location
    }
}

/// `namespace()`: the one mutable object in jinja2, so `{% set ns.x = ... %}` inside a loop is
/// seen after it. A class because the mutation must be shared by every copy.
final class Namespace {
    var attributes = ValueDictionary()
}

/// The `loop` variable of a `{% for %}`.
struct LoopState {
    var index0: Int
    var items: [Value]
    var length: Int { items.count }
}

/// Functions jinja2 (and Hugging Face's chat-template environment) provide as globals.
enum Builtin: String, CaseIterable {
    case range, namespace, dict
    case raiseException = "raise_exception"
}

extension RuntimeValue {
    var isUndefined: Bool { if case .undefined = self { return true } else { return false } }
}

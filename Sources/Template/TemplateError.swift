/// A template that cannot be parsed or rendered, with its location inside the template.
///
/// `line` and `column` are 1-based and count Unicode scalars, like jinja2's Python strings.
/// When the template sits inside a YAML file, the workflow layer shifts the location into the
/// file's coordinates before printing.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template's name (a file name or `steps.copy.prompt`).
    public var name: String
    public var line: Int
    public var column: Int
    /// What went wrong, without the location (`'usr' is undefined (did you mean 'user'?)`).
    public var message: String

    public init(name: String, line: Int, column: Int, message: String) {
        self.name = name
        self.line = line
        self.column = column
        self.message = message
    }

    /// `name:line:col: error: message`, the form compilers print.
    public var description: String { "\(name):\(line):\(column): error: \(message)" }
}

/// A free-variable path a template reads, for dependency extraction.
///
/// `{{ steps.copy.output | upper }}` reads `["steps", "copy", "output"]`: the longest static chain
/// of attribute and string-subscript accesses from a name the template did not bind itself.
public struct TemplateReference: Sendable, Equatable {
    public var path: [String]
    public var line: Int
    public var column: Int

    public init(path: [String], line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }
}

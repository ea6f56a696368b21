import Template

/// A template written in a workflow (a prompt, a path, a `when` condition), parsed once at load time.
///
/// It keeps its source text and where it sits in the YAML file, so a template error found now or
/// at run time (an undefined name, a filter failing on a value) is reported at the right
/// `file:line:col` of the workflow, not of the template.
public struct TemplateField: Sendable, Equatable {
    /// The template text as decoded from YAML.
    public let source: String
    /// Where the scalar holding the template starts in the file.
    public let location: SourceLocation
    /// The parsed template.
    public let template: Template
    /// Every workflow name the template reads (inputs, steps, models, knowledge, local names).
    public let references: [WorkflowReference]
    /// When the whole field is a single `{{ expression }}` (or a bare expression, for `when` and
    /// `for_each`), that expression's text: `evaluate` then yields a typed value, not a string.
    public let expression: String?
    /// `{{ (expression) | tojson }}`: renders the expression's value as JSON for `evaluate`.
    let valueTemplate: Template?
    let sourceMap: TemplateSourceMap

    init(source: String, location: SourceLocation, template: Template, references: [WorkflowReference],
         expression: String?, valueTemplate: Template?, sourceMap: TemplateSourceMap) {
        self.source = source
        self.location = location
        self.template = template
        self.references = references
        self.expression = expression
        self.valueTemplate = valueTemplate
        self.sourceMap = sourceMap
    }

    public static func == (a: TemplateField, b: TemplateField) -> Bool {
        a.source == b.source && a.location == b.location && a.expression == b.expression
    }

    /// Whether the text contains no template syntax at all (a plain string).
    public var isLiteral: Bool { !source.contains("{{") && !source.contains("{%") && expression == nil }

    /// Renders the template as text. Errors carry the position in the workflow file.
    public func render(_ context: [String: Value]) throws(Diagnostic) -> String {
        do {
            return try template.render(context)
        } catch {
            throw diagnostic(for: error)
        }
    }

    /// The field's value: for a single expression the expression's own value (a list stays a list,
    /// a number a number), otherwise the rendered text as a string.
    public func evaluate(_ context: [String: Value]) throws(Diagnostic) -> Value {
        guard let valueTemplate else { return .string(try render(context)) }
        let json: String
        do {
            json = try valueTemplate.render(context)
        } catch {
            throw diagnostic(for: error)
        }
        do {
            return try Value(json: Data(json.utf8))
        } catch {
            return .string(json)
        }
    }

    /// The file position of a position inside the template.
    public func fileLocation(line: Int, column: Int) -> SourceLocation {
        sourceMap.location(line: line, column: column)
    }

    /// A template error as a workflow diagnostic at its place in the file.
    public func diagnostic(for error: TemplateError) -> Diagnostic {
        Diagnostic(location: fileLocation(line: error.line, column: error.column), message: fileMessage(error.message))
    }

    /// A template message with the template positions it quotes ("opened at 1:4") turned into
    /// positions in the file ("opened at line 7, column 10").
    func fileMessage(_ message: String) -> String {
        sourceMap.fileMessage(message)
    }
}

import struct Foundation.Data

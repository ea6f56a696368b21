/// A parsed Jinja2-compatible template, ready to render many times.
///
/// Parsing checks the whole syntax (unclosed blocks, unknown filters and tests) so that a
/// workflow fails at load time, not halfway through a run. Rendering follows Python jinja2 3.1
/// byte for byte on the supported language; see `Documentation/Templates.md`.
public struct Template: Sendable {
    /// What an undefined name does when it is used.
    public enum UndefinedBehavior: Sendable {
        /// jinja2's `StrictUndefined`: printing, testing or iterating it is an error (workflows).
        case strict
        /// jinja2's default `Undefined`: it prints as "" and is false (chat templates need it).
        case lenient
    }

    /// The template's name, used in error messages.
    public let name: String
    /// The undefined behaviour chosen at creation.
    public let undefined: UndefinedBehavior
    let nodes: [Node]
    /// Free-variable paths the template reads, in source order (one per occurrence).
    public let references: [TemplateReference]

    /// jinja2 environment settings that change how the source is split into text and tags.
    public struct Options: Sendable, Equatable {
        /// jinja2 `trim_blocks`: drop the first newline after a block or comment tag.
        public var trimBlocks: Bool
        /// jinja2 `lstrip_blocks`: drop spaces and tabs before a block or comment tag at the start of a line.
        public var lstripBlocks: Bool

        public init(trimBlocks: Bool = false, lstripBlocks: Bool = false) {
            self.trimBlocks = trimBlocks
            self.lstripBlocks = lstripBlocks
        }

        /// What transformers and llama-cpp-python use for chat templates.
        public static let chatTemplate = Options(trimBlocks: true, lstripBlocks: true)
    }

    /// Parses `source`; throws the first syntax error with its line and column.
    public init(_ source: String, name: String = "template", undefined: UndefinedBehavior = .strict, options: Options = Options()) throws(TemplateError) {
        self.name = name
        self.undefined = undefined
        self.nodes = try Parser.parse(source, name: name, options: options)
        self.references = ReferenceCollector.collect(nodes)
    }

    /// Renders the template with `context` as its global variables, within the current task's
    /// `RenderBudget.current`.
    public func render(_ context: [String: Value]) throws(TemplateError) -> String {
        try render(context, budget: RenderBudget.current)
    }

    /// Renders within `budget`: a template that asks for more (a huge repetition, an endless
    /// loop) fails with an error at the tag that spent it, instead of exhausting the process.
    public func render(_ context: [String: Value], budget: RenderBudget) throws(TemplateError) -> String {
        var renderer = Renderer(template: self, context: context, budget: budget)
        try renderer.render(nodes)
        return renderer.output
    }
}

import Foundation
import Template

/// A validated workflow: everything `baton run` needs, decoded once from YAML.
///
/// Obtain one with `WorkflowLoader.load(path:)` or `WorkflowLoader.load(source:file:)`; a
/// `Workflow` value has passed every check (references resolved, no cycles, types right), so
/// later stages never re-read strings or re-check names.
public struct Workflow: Sendable, Equatable {
    /// The file as named by the user, used in every diagnostic.
    public var file: String
    /// The YAML text as read, kept for the audit store (its SHA-256 identifies the version that ran).
    public var source: String
    /// The language version (`baton: 1`).
    public var version: Int
    public var name: String
    public var description: String?
    /// In declaration order.
    public var inputs: [InputSpec]
    public var models: [ModelSpec]
    public var knowledge: [KnowledgeSpec]
    public var defaults: Defaults
    /// In declaration order; see `topologicalOrder` for an order that respects `needs`.
    public var steps: [Step]
    public var outputs: Outputs
    public var schedules: [Schedule]
    /// The most a run may spend on model calls (`budget:`); nil: no limit.
    public var budget: RunBudget?
    /// Whom the work is for (`client:`), for `baton usage --by client`; a run's input named
    /// `client` takes its place (one workflow serving several clients).
    public var client: String?
    /// The folder that relative paths written in the workflow resolve against (`type: file`
    /// input defaults, `read` paths and globs, local model and LoRA paths, knowledge databases):
    /// the folder of `file`, absolute. `nil` when that folder is the working directory the
    /// workflow was loaded in, so paths are used as written and messages show them as written.
    public var directory: String?

    /// The language versions this build understands.
    public static let supportedVersions = [1]

    init(file: String, source: String, version: Int = 1, name: String, description: String? = nil, inputs: [InputSpec] = [],
                models: [ModelSpec] = [], knowledge: [KnowledgeSpec] = [], defaults: Defaults = Defaults(), steps: [Step] = [],
                outputs: Outputs = Outputs(), schedules: [Schedule] = [], budget: RunBudget? = nil, client: String? = nil) {
        self.file = file
        self.source = source
        self.version = version
        self.name = name
        self.description = description
        self.inputs = inputs
        self.models = models
        self.knowledge = knowledge
        self.defaults = defaults
        self.steps = steps
        self.outputs = outputs
        self.schedules = schedules
        self.budget = budget
        self.client = client
        self.directory = Workflow.directory(of: file)
    }

    /// The folder `file` lies in, absolute, or nil when it is the working directory.
    public static func directory(of file: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        let current = URL(fileURLWithPath: currentDirectory).standardizedFileURL.path
        let absolute = file.hasPrefix("/") ? file : current + "/" + file
        return directory(folder: URL(fileURLWithPath: absolute).deletingLastPathComponent().path, currentDirectory: current)
    }

    /// `folder` (absolute) as `directory` holds it: nil when it is the working directory. For a
    /// workflow loaded from its recorded text, whose folder the audit store kept.
    public static func directory(folder: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        let current = URL(fileURLWithPath: currentDirectory).standardizedFileURL.path
        let standardized = URL(fileURLWithPath: folder).standardizedFileURL.path
        return standardized == current ? nil : standardized
    }

    /// The folder relative paths resolve against, always absolute (`directory`, else the
    /// working directory): what the audit store records for a run.
    public var absoluteDirectory: String {
        directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
    }

    /// Where a path written in the workflow file is: absolute paths as written, relative ones
    /// against `directory` (the workflow's folder), so a workflow reads the same files whichever
    /// folder it is run from.
    public func resolve(_ path: String) -> String {
        Workflow.resolve(path, in: directory)
    }

    /// `path` as a person in the working directory would type it: relative when it lies below
    /// the working directory, else absolute (written files, `baton ingest` hints).
    public static func shown(_ path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let current = URL(fileURLWithPath: currentDirectory).standardizedFileURL.path
        let standardized = URL(fileURLWithPath: path.hasPrefix("/") ? path : current + "/" + path).standardizedFileURL.path
        return standardized.hasPrefix(current + "/") ? String(standardized.dropFirst(current.count + 1)) : standardized
    }

    /// `path` against `directory` unless it is absolute (or `directory` is nil, or `path` is `-`).
    public static func resolve(_ path: String, in directory: String?) -> String {
        guard let directory, !path.hasPrefix("/"), !path.isEmpty, path != "-" else { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    public func input(_ name: String) -> InputSpec? { inputs.first { $0.name == name } }
    public func model(_ name: String) -> ModelSpec? { models.first { $0.name == name } }
    public func knowledgeBase(_ name: String) -> KnowledgeSpec? { knowledge.first { $0.name == name } }

    /// Names of inputs declared `secret: true`, whose values must be shown as `***`.
    public var secretInputNames: Set<String> { Set(inputs.filter(\.secret).map(\.name)) }

    /// `values` with every secret input's value replaced by `***`: what the audit store and the
    /// terminal may see.
    public func redacting(_ values: [String: Value]) -> [String: Value] {
        var redacted = values
        for name in secretInputNames where redacted[name] != nil && redacted[name] != Value.none {
            redacted[name] = "***"
        }
        return redacted
    }

    /// The declaration of the model `step` uses, if it uses one of `models:` (nil: no model, or
    /// Baton's built-in default when the workflow declares none).
    public func modelSpec(for step: Step) -> ModelSpec? {
        step.model.flatMap(model)
    }

    /// The steps in an order where every step comes after all it needs; among steps that are
    /// ready at the same time, declaration order. (A loaded workflow has no cycles.)
    public var topologicalOrder: [Step] {
        topologicalLevels.flatMap { $0 }
    }

    /// The steps grouped in waves: the first wave needs nothing, each later wave only needs steps
    /// of earlier waves. Steps of one wave can run concurrently.
    public var topologicalLevels: [[Step]] {
        var level: [String: Int] = [:]
        var remaining = steps
        var levels: [[Step]] = []
        while !remaining.isEmpty {
            var wave: [Step] = []
            var rest: [Step] = []
            for step in remaining {
                if step.needs.allSatisfy({ level[$0] != nil }) { wave.append(step) } else { rest.append(step) }
            }
            if wave.isEmpty { break }  // only on a cycle, which the loader refuses
            for step in wave { level[step.id] = levels.count }
            levels.append(wave)
            remaining = rest
        }
        return levels
    }

    /// The ids of the steps that need `id` directly.
    public func dependents(of id: String) -> [String] {
        steps.filter { $0.needs.contains(id) }.map(\.id)
    }

    /// The source line `line` (1-based) of the workflow file, for diagnostics found at run time.
    public func sourceLine(_ line: Int) -> String? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        return String(lines[line - 1].dropLast(lines[line - 1].hasSuffix("\r") ? 1 : 0))
    }

    /// `diagnostic` with its source line filled in, when it points into this workflow's file.
    public func attachingSource(to diagnostic: Diagnostic) -> Diagnostic {
        guard diagnostic.sourceLine == nil, let location = diagnostic.location, location.file == file else { return diagnostic }
        var copy = diagnostic
        copy.sourceLine = sourceLine(location.line)
        return copy
    }
}

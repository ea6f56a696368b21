import Foundation
import YAML

/// Loads and checks workflow files: YAML → nodes → `Workflow`, every problem reported at once.
///
/// ```swift
/// do {
///     let workflow = try WorkflowLoader.load(path: "Workflows/campaign-copy.yaml")
///     for step in workflow.topologicalOrder { ... }
/// } catch {
///     print(error)   // file:line:col: error: ... with source lines and carets, sorted by position
/// }
/// ```
public enum WorkflowLoader {
    /// Reads and loads the workflow at `path` (named in diagnostics as given).
    public static func load(path: String) throws(WorkflowDiagnostics) -> Workflow {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw WorkflowDiagnostics([Diagnostic(location: nil, message: "cannot read '\(path)': \(InputBinding.describe(error))")])
        }
        return try load(bytes: data, file: path)
    }

    /// Loads a workflow from its text; `file` is the name used in diagnostics.
    public static func load(source: String, file: String) throws(WorkflowDiagnostics) -> Workflow {
        try load(bytes: Data(source.utf8), file: file)
    }

    /// Loads raw bytes, so invalid UTF-8 is reported by position rather than replaced.
    public static func load(bytes: Data, file: String) throws(WorkflowDiagnostics) -> Workflow {
        let root: Node
        do {
            root = try YAMLParser.parse(bytes, file: file)
        } catch {
            throw WorkflowDiagnostics([Diagnostic(location: SourceLocation(file: error.file, line: error.mark.line, column: error.mark.column),
                                                  message: error.message, sourceLine: error.sourceLine)])
        }
        let source = String(decoding: bytes, as: UTF8.self)
        var decoder = WorkflowDecoder(file: file, source: source)
        let workflow = decoder.decodeWorkflow(root, source: source)
        guard let workflow, decoder.diagnostics.isEmpty else {
            throw WorkflowDiagnostics(decoder.diagnostics)
        }
        return workflow
    }
}

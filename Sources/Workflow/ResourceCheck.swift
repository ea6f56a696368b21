import Foundation

/// Warnings about files a workflow names that are not on this machine: local GGUF models, their
/// LoRA adapters, and knowledge databases. They are not errors (the workflow may be checked on
/// one machine and run on another, or the database built later with `baton ingest`), but
/// `baton validate` says so before a run fails on them.
public enum ResourceCheck {
    /// One warning per missing file, in the order the workflow declares them.
    ///
    /// - Parameters:
    ///   - environment: where `BATON_MODELS` is read; without it the model folder is
    ///     `~/.baton/models`, as for a run.
    ///   - fileExists: injected so tests need no files.
    ///   - defaultModel: the file a model step without a model runs on (Baton's default model),
    ///     checked when such a step exists.
    public static func warnings(_ workflow: Workflow, defaultModel: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> [Diagnostic] {
        var lookup = environment
        if (lookup["BATON_MODELS"] ?? "").isEmpty {
            let home = (environment["HOME"] ?? "").isEmpty ? NSHomeDirectory() : environment["HOME"] ?? ""
            lookup["BATON_MODELS"] = home + "/.baton/models"
        }
        let folder = lookup["BATON_MODELS"] ?? ""
        var warnings: [Diagnostic] = []
        func warn(_ message: String, at location: SourceLocation) {
            warnings.append(Diagnostic(location: location, message: message, sourceLine: workflow.sourceLine(location.line), isWarning: true))
        }
        let here = workflow.directory ?? "the working directory"
        for model in workflow.models {
            guard case .local(var local) = model.provider else { continue }
            local.directory = workflow.directory
            if !fileExists(local.resolvedPath(environment: lookup, fileExists: fileExists)) {
                warn("model '\(model.name)': no model file '\(local.path)' here (looked in \(folder), then \(here) and its models/)", at: model.location)
            }
            for lora in local.lora where !fileExists(local.resolvedPath(of: lora, environment: lookup, fileExists: fileExists)) {
                warn("model '\(model.name)': no LoRA adapter file '\(lora.path)' here (looked in \(here) and \(folder))", at: model.location)
            }
        }
        if let defaultModel, let step = workflow.steps.first(where: { $0.action.usesLanguageModel && $0.model == nil }),
           !fileExists(ModelSpec.LocalModel(path: defaultModel).resolvedPath(environment: lookup, fileExists: fileExists)) {
            warn("step '\(step.id)' names no model, so it runs on the default local model '\(defaultModel)', which is not here (looked in \(folder), then the working directory and its models/; Scripts/setup.sh fetches it)", at: step.location)
        }
        for base in workflow.knowledge where !fileExists(workflow.resolve(base.path)) {
            let source = base.source.map { Workflow.shown(workflow.resolve($0)) } ?? "FOLDER"
            warn("knowledge base '\(base.name)': no database '\(base.path)' yet (build it with 'baton ingest \(Workflow.shown(workflow.resolve(base.path))) \(source)')", at: base.location)
        }
        return warnings
    }
}

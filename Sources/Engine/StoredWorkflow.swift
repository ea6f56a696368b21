import Foundation
import Audit
import Workflow

/// The workflow version a recorded run started with, its relative paths (`read` globs, knowledge
/// databases, local model and LoRA paths) resolving where they did then: `baton resume`,
/// `baton rerun`, the console and the scheduler load a run's workflow through it, so they read
/// the same files from whichever folder they are started in.
public enum StoredWorkflow {
    /// Loads `run`'s recorded workflow text with `Workflow.directory` set to the folder the run
    /// recorded (`RunRecord.workflowDirectory`), or to `folder` when one is given (`baton rerun
    /// --workflow-dir`, relative to the working directory). A run an older Baton started records
    /// no folder: its paths resolve against the working directory, as they did before.
    public static func load(_ run: RunRecord, folder given: String? = nil) throws(StoredWorkflowError) -> Workflow {
        var workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(source: run.workflowSource, file: run.workflow + ".yaml")
        } catch {
            throw .invalid(run: run.id, error)
        }
        guard let folder = given.map(absolute) ?? run.workflowDirectory else { return workflow }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw .folderGone(run: run.id, folder: folder, given: given != nil)
        }
        workflow.directory = Workflow.directory(folder: folder)
        return workflow
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// Why a recorded run's workflow cannot be loaded again.
public enum StoredWorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run's workflow folder (or the one given for it) is no longer there, so its relative
    /// paths would point nowhere.
    case folderGone(run: String, folder: String, given: Bool)
    /// The recorded text no longer loads (a newer Baton's language, say).
    case invalid(run: String, WorkflowDiagnostics)

    public var description: String {
        switch self {
        case .folderGone(let run, let folder, let given):
            if given { return "no folder '\(folder)' (given with --workflow-dir for run \(run)'s workflow)" }
            return "run \(run)'s workflow folder '\(folder)' no longer exists; its relative paths resolve there. Restore it, or run the workflow again from another folder with: baton rerun \(run) --workflow-dir DIR"
        case .invalid(_, let diagnostics):
            return diagnostics.description
        }
    }
}

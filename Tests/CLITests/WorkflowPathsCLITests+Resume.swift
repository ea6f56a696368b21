import Foundation
import Testing
import TestSupport

/// `baton resume` and `baton rerun` load a run's workflow from its recorded text: its paths
/// resolve against the folder the workflow file lay in when the run started (audit migration
/// 6), not against the folder the resume or rerun is started in.
extension WorkflowPathsCLITests {
    /// `project/flows/wait.yaml`: a review first, then a `read` path and a `read` glob beside the
    /// workflow, so the reading happens only when the run is continued.
    static let waitingWorkflow = """
        baton: 1
        name: wait
        steps:
          - { id: draft, kind: template, template: 초안 }
          - { id: approval, kind: review, show: "{{ steps.draft.output }}" }
          - { id: table, kind: read, path: data/table.csv, needs: [approval] }
          - { id: all, kind: read, glob: "notes/*.md", needs: [approval] }
          - id: summary
            kind: template
            template: "{{ steps.approval.output }} / {{ steps.table.output | length }} rows / {% for f in steps.all.output %}{{ f.name }}={{ f.text | trim }};{% endfor %}"
        outputs:
          summary: "{{ steps.summary.output }}"
        """

    /// `baton ARGUMENTS` in `folder`, with one store for every folder.
    func baton(_ arguments: [String], in folder: URL) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": root.appendingPathComponent("baton.db").path, "BATON_STREAM": "0"],
                             directory: folder)
    }

    func json(_ arguments: [String], in folder: URL) throws -> [String: Any] {
        let result = try baton(arguments + ["--json"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\n\(result.stderr)")
    }

    /// Started beside its workflow, stopped at a review, resumed from `elsewhere/`: the steps
    /// after the review read the workflow's files, not `elsewhere/`'s.
    @Test func aResumeFromAnotherFolderReadsTheFilesTheRunStartedWith() throws {
        try write(Self.waitingWorkflow, "project/flows/wait.yaml")
        let first = try json(["run", "wait.yaml"], in: flows)
        #expect(first["status"] as? String == "waiting")
        let runID = try #require(first["run_id"] as? String)
        #expect(try baton(["review", runID, "approval", "--approve", "--as", "park"], in: elsewhere).status == 0)

        let resumed = try json(["resume", runID], in: elsewhere)
        #expect(resumed["run_id"] as? String == runID)
        #expect(resumed["status"] as? String == "succeeded")
        #expect((resumed["outputs"] as? [String: Any])?["summary"] as? String == "초안 / 2 rows / a.md=가;b.md=나;")
    }

    /// Run beside its workflow, rerun from `elsewhere/`: the `read` path, the glob over the
    /// stored `path` input and the stored `file` input are the workflow's. With the folder moved
    /// the rerun names it and stops; `--workflow-dir` gives the new place.
    @Test func aRerunFromAnotherFolderReadsTheFilesTheRunStartedWith() throws {
        let first = try json(["run", "paths.yaml"], in: flows)
        let runID = try #require(first["run_id"] as? String)
        let expected = "봄 브리프 / 2 rows / a.md=가;b.md=나;"
        #expect((first["outputs"] as? [String: Any])?["summary"] as? String == expected)

        let again = try json(["rerun", runID], in: elsewhere)
        #expect(again["status"] as? String == "succeeded")
        #expect((again["outputs"] as? [String: Any])?["summary"] as? String == expected)

        let moved = root.appendingPathComponent("project/moved")
        try FileManager.default.moveItem(at: flows, to: moved)
        let gone = try baton(["rerun", runID], in: elsewhere)
        #expect(gone.status == 1)
        #expect(gone.stderr == "error: run \(runID)'s workflow folder '\(flows.path)' no longer exists; its relative paths resolve there. Restore it, or run the workflow again from another folder with: baton rerun \(runID) --workflow-dir DIR\n")

        let given = try json(["rerun", runID, "--workflow-dir", "../project/moved"], in: elsewhere)
        #expect((given["outputs"] as? [String: Any])?["summary"] as? String == expected)
        let missing = try baton(["rerun", runID, "--workflow-dir", "/nowhere/flows"], in: elsewhere)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no folder '/nowhere/flows' (given with --workflow-dir for run \(runID)'s workflow)\n")
    }
}

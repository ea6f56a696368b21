import Foundation
import Testing
import TestSupport

/// Where paths resolve: a path written in a workflow file is relative to that file's folder, a
/// path given on the command line to the folder `baton` runs in. Each test lays out a project
/// (`project/flows/paths.yaml` with its data beside it) and runs it from `elsewhere/`.
@Suite struct WorkflowPathsCLITests {
    let root: URL
    let flows: URL
    let elsewhere: URL

    static let workflow = """
        baton: 1
        name: paths
        inputs:
          brief: { type: file, default: data/brief.md }
          notes: { type: path, default: notes }
        steps:
          - { id: table, kind: read, path: data/table.csv }
          - { id: all, kind: read, glob: "{{ inputs.notes }}/*.md" }
          - id: summary
            kind: template
            template: "{{ inputs.brief | trim }} / {{ steps.table.output | length }} rows / {% for f in steps.all.output %}{{ f.name }}={{ f.text | trim }};{% endfor %}"
        outputs:
          summary: "{{ steps.summary.output }}"
          files:
            - { path: result/summary.md, content: "{{ steps.summary.output }}" }
        """

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("baton-paths-\(UUID().uuidString)")
        flows = root.appendingPathComponent("project/flows")
        elsewhere = root.appendingPathComponent("elsewhere")
        for folder in [flows.appendingPathComponent("data"), flows.appendingPathComponent("notes"), elsewhere.appendingPathComponent("mine")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try write(Self.workflow, "project/flows/paths.yaml")
        try write("봄 브리프\n", "project/flows/data/brief.md")
        try write("channel,clicks\nyoutube,10\ninstagram,20\n", "project/flows/data/table.csv")
        try write("가\n", "project/flows/notes/a.md")
        try write("나\n", "project/flows/notes/b.md")
        // Same names in the run's folder: a run that looked there would read these instead.
        try write("다\n", "elsewhere/mine/c.md")
        try write("내 브리프\n", "elsewhere/my-brief.md")
        try FileManager.default.createDirectory(at: elsewhere.appendingPathComponent("data"), withIntermediateDirectories: true)
        try write("wrong\n", "elsewhere/data/brief.md")
    }

    func write(_ text: String, _ relative: String) throws {
        try text.write(to: root.appendingPathComponent(relative), atomically: true, encoding: .utf8)
    }

    /// `project/flows/kb.yaml`: one `rag_query` over `kb/notes.db` (built from `docs`), its best
    /// document's source and text as the output `found`.
    func writeKnowledgeWorkflow(query: String) throws {
        try write("""
            baton: 1
            name: kb
            knowledge:
              notes: { path: kb/notes.db, source: docs }
            steps:
              - { id: find, kind: rag_query, knowledge: notes, query: "\(query)", top_k: 1 }
            outputs:
              found: "{{ steps.find.documents[0].source }}: {{ steps.find.output }}"
            """, "project/flows/kb.yaml")
    }

    func baton(_ arguments: [String]) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": "", "BATON_STREAM": "0"], directory: elsewhere)
    }

    func run(_ arguments: [String]) throws -> [String: Any] {
        let result = try baton(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// Started in `elsewhere/`, the workflow's default file, `read` path and glob are found beside
    /// it, by a relative and by an absolute name alike, and its file lands in `elsewhere/out/`.
    @Test(arguments: ["../project/flows/paths.yaml", "ABSOLUTE"])
    func pathsWrittenInTheWorkflowResolveAgainstItsFolder(_ name: String) throws {
        let file = name == "ABSOLUTE" ? flows.appendingPathComponent("paths.yaml").path : name
        let object = try run(["run", file])
        let outputs = try #require(object["outputs"] as? [String: Any])
        #expect(outputs["summary"] as? String == "봄 브리프 / 2 rows / a.md=가;b.md=나;")
        #expect(object["files"] as? [String] == ["out/result/summary.md"])
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("out/result/summary.md"), encoding: .utf8) == "봄 브리프 / 2 rows / a.md=가;b.md=나;\n")
        #expect(!FileManager.default.fileExists(atPath: flows.appendingPathComponent("out").path))
    }

    /// Paths given on the command line are relative to the folder the run starts in, for a
    /// `file` input and a `path` input that a `read` glob of the workflow uses.
    @Test func pathsOnTheCommandLineResolveAgainstTheWorkingDirectory() throws {
        let object = try run(["run", "../project/flows/paths.yaml", "--input", "brief=my-brief.md", "--input", "notes=mine"])
        let outputs = try #require(object["outputs"] as? [String: Any])
        #expect(outputs["summary"] as? String == "내 브리프 / 2 rows / c.md=다;")
    }

    /// `baton render` previews with the same rule: the `read` steps show the workflow's files.
    @Test func renderReadsTheWorkflowsFilesFromAnotherFolder() throws {
        let result = try baton(["render", "../project/flows/paths.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("봄 브리프 / 2 rows / a.md=가;b.md=나;"), "\(result.stdout)")
    }

    /// A knowledge database written as `kb/notes.db` is the one beside the workflow; the ingest
    /// hint for a missing one names the paths as typed from the run's folder.
    @Test func aMissingKnowledgeDatabaseIsLookedForBesideTheWorkflow() throws {
        try writeKnowledgeWorkflow(query: "봄")
        let result = try baton(["run", "../project/flows/kb.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("knowledge base 'notes': no such knowledge database 'kb/notes.db' (build it with 'baton ingest \(flows.path)/kb/notes.db \(flows.path)/docs')"), "\(result.stderr)")
    }

    /// With the database built beside the workflow, a run from another folder searches it.
    @Test(.requiresMiniLM) func aKnowledgeDatabaseBesideTheWorkflowIsSearchedFromAnotherFolder() throws {
        let model = try #require(ReferenceModels.miniLM)
        try FileManager.default.createDirectory(at: flows.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try write("# 축제\n\n한빛시 봄꽃 축제는 4월 3일에 열린다. 드론 라이트쇼가 있다.\n", "project/flows/docs/festival.md")
        try write("# 텀블러\n\n텀블러를 가져오면 400원을 할인해 준다.\n", "project/flows/docs/tumbler.md")
        let ingest = try BatonProcess.run(["ingest", "kb/notes.db", "docs", "--model", model], environment: ["BATON_DB": ""], directory: flows)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        try writeKnowledgeWorkflow(query: "텀블러 할인")
        let object = try run(["run", "../project/flows/kb.yaml"])
        let found = try #require((object["outputs"] as? [String: Any])?["found"] as? String)
        #expect(found.hasPrefix("docs/tumbler.md: "), "\(found)")
        #expect(found.contains("400원"))
    }
}

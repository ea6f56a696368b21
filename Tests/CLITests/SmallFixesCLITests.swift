import Foundation
import Testing
import TestSupport

/// The small things a first-time user trips over (issue 11, item 11), each as the user meets it.
@Suite struct SmallFixesCLITests {
    let folder: URL

    init() throws {
        folder = try TemporaryFolder.make("small")
    }

    func baton(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> BatonProcess {
        try BatonProcess.run(arguments, stdin: stdin, environment: ["BATON_DB": "", "BATON_STREAM": "0"].merging(environment) { $1 }, directory: folder)
    }

    func write(_ name: String, _ text: String) throws -> String {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return name
    }

    static let note = """
        baton: 1
        name: note
        inputs:
          product: { type: string }
          brief: { type: string, required: false }
        steps:
          - { id: note, kind: template, template: "{{ inputs.product }}|{{ inputs.brief or '' }}", files: [{ path: note.txt, content: "{{ output }}" }] }
        outputs:
          note: "{{ steps.note.output }}"
        """

    /// `baton help run` is `baton run --help` (it printed the overview).
    @Test func helpWithACommandPrintsThatCommandsHelp() throws {
        let help = try baton(["help", "run"])
        let direct = try baton(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout == direct.stdout)
        #expect(help.stdout.hasPrefix("USAGE: baton run FILE"))
    }

    /// `--input KEY=@-` reads the value from standard input.
    @Test func anInputValueCanComeFromStdin() throws {
        let file = try write("note.yaml", Self.note)
        let result = try baton(["run", file, "--input", "product=@-"], stdin: "접이식 텀블러")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("note: 접이식 텀블러|\n"), "\(result.stdout)")
    }

    /// An empty required string is a slip, not a value; an optional one may be empty.
    @Test func anEmptyRequiredStringIsRefused() throws {
        let file = try write("note.yaml", Self.note)
        let refused = try baton(["run", file, "--input", "product= "])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: input 'product' is empty; give it a value (an input that may be empty is declared 'required: false')\n"), "\(refused.stderr)")
        let allowed = try baton(["run", file, "--input", "product=컵", "--input", "brief="])
        #expect(allowed.status == 0, "\(allowed.stderr)")
    }

    /// A written text file ends with a line break, whatever the template's last line.
    @Test func writtenTextFilesEndWithANewline() throws {
        let file = try write("note.yaml", Self.note)
        let result = try baton(["run", file, "--input", "product=컵"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOf: folder.appendingPathComponent("out/note.txt"), encoding: .utf8) == "컵|\n")
    }

    /// `--json` puts the run's error in its field with the word `error` once, not
    /// `step 'x' failed: f.yaml:6:61: error: ...`.
    @Test func aJSONErrorSaysErrorOnce() throws {
        let file = try write("broken.yaml", """
            baton: 1
            name: broken
            steps:
              - { id: note, kind: template, template: "{{ run.id.x.y }}" }
            """)
        let result = try baton(["run", file, "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let error = try #require(object["error"] as? String)
        #expect(error.hasPrefix("step 'note' failed: broken.yaml:4:"), "\(error)")
        #expect(!error.contains("error:"), "\(error)")
    }

    /// `baton show`: a step without a model has a time, not "tokens"; a long input is cut in the header.
    @Test func showLabelsTimeAndCutsLongInputs() throws {
        let file = try write("note.yaml", Self.note)
        let long = String(repeating: "브리프 내용 ", count: 40)
        let run = try baton(["run", file, "--input", "product=컵", "--input", "brief=\(long)", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let runID = try #require(object["run_id"] as? String)
        let shown = try baton(["show", runID])
        #expect(shown.status == 0)
        #expect(!shown.stdout.contains("    tokens"), "\(shown.stdout)")
        #expect(shown.stdout.contains("\n    time  "), "\(shown.stdout)")
        let inputs = try #require(shown.stdout.split(separator: "\n").first { $0.hasPrefix("inputs") })
        #expect(inputs.contains("…\" (\(long.count) characters)"), "\(inputs)")
        #expect(inputs.count < 200)
    }

    /// `baton model generate NAME.gguf` looks in the model folder, as a workflow's `path:` does.
    @Test func modelCommandsFindAModelInTheModelFolder() throws {
        let models = folder.appendingPathComponent("models-here")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try Data("not a gguf".utf8).write(to: models.appendingPathComponent("tiny.gguf"))
        let result = try baton(["model", "generate", "tiny.gguf", "--prompt", "hi"], environment: ["BATON_MODELS": models.path])
        #expect(result.status == 1)
        // Found (and refused as a GGUF) rather than "no such file".
        #expect(result.stderr.contains(models.appendingPathComponent("tiny.gguf").path), "\(result.stderr)")
        #expect(!result.stderr.contains("no such file"), "\(result.stderr)")
    }

    /// `baton show --step 'x[1]'` lists that item's files, not every item's.
    @Test func showOfOneItemListsOnlyItsFiles() throws {
        let file = try write("items.yaml", """
            baton: 1
            name: items
            steps:
              - id: card
                kind: template
                for_each: [가, 나, 다]
                template: "{{ item }} 카드"
                files: [{ path: "cards/{{ index }}.txt", content: "{{ output }}" }]
            """)
        let run = try baton(["run", file, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let runID = try #require(object["run_id"] as? String)
        let shown = try baton(["show", runID, "--step", "card[1]", "--json"])
        let files = try #require((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String } == ["out/cards/1.txt"])
        #expect(try String(contentsOf: folder.appendingPathComponent("out/cards/1.txt"), encoding: .utf8) == "나 카드\n")
    }

    /// Requests name the Baton that sent them: `User-Agent: baton/<the version baton version prints>`.
    @Test func requestsCarryTheRealVersionInTheirUserAgent() throws {
        let server = try FakeOpenAIServer()
        let file = try write("ask.yaml", """
            baton: 1
            name: ask
            models:
              main: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake-model }
            steps:
              - { id: ask, kind: generate, model: main, prompt: "안녕" }
            """)
        #expect(try baton(["run", file]).status == 0)
        let version = try baton(["version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.hasPrefix("baton "))
        #expect(server.requests().first?["user_agent"] as? String == version.replacingOccurrences(of: "baton ", with: "baton/"))
    }
}

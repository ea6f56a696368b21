import Foundation
import Testing
import TestSupport

/// `baton run` and `baton resume` as a user runs them: the real binary, a real SQLite file and
/// the loopback OpenAI-compatible server.
@Suite struct RunCLITests {
    let server: FakeOpenAIServer
    let folder: URL

    init() throws {
        server = try FakeOpenAIServer()
        folder = try TemporaryFolder.make("run-cli")
    }

    var model: String { "*=\(server.baseURL.absoluteString)#fake-model" }

    func baton(_ arguments: [String]) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: folder)
    }

    func write(_ name: String, _ yaml: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try yaml.replacingOccurrences(of: "SERVER", with: server.baseURL.absoluteString).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts `baton` in the background (to be killed or signalled), stderr discarded.
    func launch(_ arguments: [String], output: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["BATON_DB"] = ""
        process.environment = environment
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Spawn.run(process)
        return process
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The step attempts `baton show RUN --json` lists.
    func shownSteps(_ runID: String) throws -> [[String: Any]] {
        try #require(try json(try baton(["show", runID, "--json"]).stdout)["steps"] as? [[String: Any]])
    }

    func runs() throws -> [[String: Any]] {
        let listed = try baton(["runs", "--json"])
        return (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    /// A workflow from `Workflows/` runs end to end; `baton show` has every prompt the server got.
    @Test func aShippedWorkflowRunsEndToEndAgainstTheLoopbackServer() throws {
        let workflow = BatonProcess.repository.appendingPathComponent("Workflows/tagline-en.yaml").path
        let result = try baton(["run", workflow, "--model", model, "--json", "--input", "product=접이식 텀블러"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect(object["status"] as? String == "succeeded")
        let runID = try #require(object["run_id"] as? String)
        let outputs = try #require(object["outputs"] as? [String: Any])
        #expect((outputs["best"] as? String)?.hasPrefix("echo: Here are taglines for 접이식 텀블러:") == true)
        #expect(object["files"] as? [String] == ["out/tagline-en/taglines.md"])
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/tagline-en/taglines.md").path))

        let steps = try shownSteps(runID)
        #expect(steps.compactMap { $0["id"] as? String } == ["taglines", "best", "sheet"])
        let received = server.bodies()
        #expect(received.count == 2)
        let taglinesMessages = try #require(received.first?["messages"] as? [[String: Any]])
        let stored = try #require(steps.first?["prompt"] as? String)
        let storedMessages = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [[String: Any]])
        #expect(storedMessages.map { $0["content"] as? String } == taglinesMessages.map { $0["content"] as? String })
        #expect(steps[1]["prompt"] as? String == server.prompts()[1])
        #expect(steps[1]["output"] as? String == "echo: " + server.prompts()[1])
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    /// The folder batch: every press release is read, translated with the glossary checked,
    /// and written to its own file, plus the index.
    @Test func theBatchTranslationWorkflowWritesOneFilePerPressRelease() throws {
        let workflow = BatonProcess.repository.appendingPathComponent("Workflows/translate-press-releases.yaml").path
        let sources = BatonProcess.repository.appendingPathComponent("Examples/press-releases/ko")
        let result = try baton(["run", workflow, "--model", model, "--json", "--input", "folder=\(sources.path)"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect(object["status"] as? String == "succeeded")
        let names = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".md") }.sorted()
        #expect(server.requestCount == names.count)
        // Each release is written as Markdown, Word and Hangul (HWPX).
        let expected = names.flatMap { name in
            ["md", "docx", "hwpx"].map { "out/press-releases/en/" + name.replacingOccurrences(of: ".ko.md", with: ".en.\($0)") }
        } + ["out/press-releases/en/INDEX.md"]
        #expect((object["files"] as? [String])?.sorted() == expected.sorted())
        let runID = try #require(object["run_id"] as? String)
        let steps = try shownSteps(runID)
        #expect(steps.filter { $0["id"] as? String == "english" }.count == names.count)
        // Each prompt names exactly the glossary terms whose source occurs in its release.
        let glossary = ["한빛시": "Hanbit City", "한빛천": "Hanbitcheon Stream", "봄꽃 축제": "Spring Flower Festival", "새솔대학교": "Saesol University",
                        "생성형 AI 실무 센터": "Center for Applied Generative AI", "바다마을관광재단": "Badamaeul Tourism Foundation",
                        "섬 여행 패스": "Island Travel Pass", "온누리식품": "Onnuri Foods"]
        for prompt in server.prompts() {
            let text = try #require(prompt.components(separatedBy: "원문:\n").last)
            for (source, target) in glossary { #expect(prompt.contains("- \(source) → \(target)") == text.contains(source), "\(source) in \(prompt)") }
        }
    }

    /// A run killed with SIGKILL mid-way reads `interrupted`; `baton resume` finishes it and the
    /// server's request log proves the finished step was not sent again.
    @Test func aKilledRunIsInterruptedAndResumeFinishesItWithoutRepeatingFinishedSteps() throws {
        let file = try write("slow.yaml", """
            \(FakeServerWorkflow.header(name: "slow-chain", baseURL: "SERVER"))
            steps:
              - { id: first, kind: generate, prompt: "첫 단계" }
              - { id: second, kind: generate, prompt: "둘째 {{ steps.first.output }} [[slow:30x1]]" }
              - { id: third, kind: generate, prompt: "셋째 {{ steps.second.output | length }}" }
            """)
        let process = try launch(["run", file])
        for _ in 0..<200 where server.requestCount < 2 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(server.requestCount == 2)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let listed = try runs()
        #expect(listed.count == 1)
        #expect(listed.first?["status"] as? String == "interrupted")
        let runID = try #require(listed.first?["id"] as? String)
        #expect(try baton(["audit", "verify"]).status == 0)

        let resumed = try baton(["resume", runID, "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("resuming run \(runID) (interrupted): 1 finished steps and items reused"))
        let object = try json(resumed.stdout)
        #expect(object["status"] as? String == "succeeded")
        #expect(server.prompts() == ["첫 단계", "둘째 echo: 첫 단계 [[slow:30x1]]", "둘째 echo: 첫 단계 [[slow:30x1]]",
                                     "셋째 33"])
        let after = try runs()
        #expect(after.compactMap { $0["status"] as? String }.sorted() == ["interrupted", "succeeded"])
    }

    /// SIGINT and SIGTERM cancel the run cleanly: the request is cancelled, its attempt and the
    /// run recorded as `cancelled`, and the process exits 1 promptly.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalCancelsTheRunCleanly(signal number: Int32) throws {
        let file = try write("cancel.yaml", """
            \(FakeServerWorkflow.header(name: "cancel", baseURL: "SERVER"))
            steps:
              - { id: slow, kind: generate, prompt: "카피 [[slow:30]]" }
            """)
        let output = Spawn.pipe()
        let process = try launch(["run", file, "--json"], output: output)
        for _ in 0..<200 where server.requestCount < 1 { Thread.sleep(forTimeInterval: 0.05) }
        kill(process.processIdentifier, number)
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let object = try json(String(decoding: printed, as: UTF8.self))
        #expect(object["status"] as? String == "cancelled")
        let listed = try runs()
        #expect(listed.first?["status"] as? String == "cancelled")
        let runID = try #require(listed.first?["id"] as? String)
        let steps = try shownSteps(runID)
        #expect(steps.compactMap { $0["status"] as? String } == ["cancelled"])
    }

    /// Two `baton run` processes on one database at once both finish, nothing lost.
    @Test func twoRunsOnOneDatabaseAtOnceBothFinish() throws {
        let file = try write("pair.yaml", """
            \(FakeServerWorkflow.header(name: "pair", baseURL: "SERVER"))
            steps:
              - { id: each, kind: generate, for_each: ["가", "나", "다", "라", "마", "바"], prompt: "{{ item }}" }
              - { id: sheet, kind: template, template: "{{ steps.each.output | join(', ') }}" }
            """)
        var processes: [Process] = []
        for _ in 0..<2 {
            processes.append(try launch(["run", file]))
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0])
        let listed = try runs()
        #expect(listed.compactMap { $0["status"] as? String } == ["succeeded", "succeeded"])
        #expect(server.requestCount == 12)
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    /// Bad inputs are refused before any step runs, and the refusal is recorded in the store.
    @Test(arguments: [
        ([], "error: missing required input 'product' (string)"),
        (["--input", "product=컵", "--input", "count=many"], "error: input 'count' must be an integer, found 'many'"),
        (["--input", "product=컵", "--input", "brief=없는파일.txt"], "error: cannot read file '없는파일.txt' for input 'brief': "),
    ])
    func badInputsAreClearErrorsRecordedInTheStore(arguments: [String], message: String) throws {
        let file = try write("inputs.yaml", """
            baton: 1
            name: inputs
            inputs:
              product: { type: string }
              count: { type: integer, default: 3 }
              brief: { type: file, required: false }
            steps:
              - { id: note, kind: template, template: "{{ inputs.product }}" }
            """)
        let result = try baton(["run", file] + arguments)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        let listed = try runs()
        #expect(listed.first?["status"] as? String == "failed")
        #expect((listed.first?["error"] as? String)?.hasPrefix(message) == true)
    }

    @Test func inputsComeFromOptionsFilesAndAtPaths() throws {
        let file = try write("given.yaml", """
            baton: 1
            name: given
            inputs:
              product: { type: string }
              count: { type: integer }
              brief: { type: file }
            steps:
              - { id: note, kind: template, template: "{{ inputs.product }} x{{ inputs.count + 1 }} / {{ inputs.brief }}" }
            outputs:
              note: "{{ steps.note.output }}"
            """)
        try #"{"count": 2}"#.write(to: folder.appendingPathComponent("inputs.json"), atomically: true, encoding: .utf8)
        try "접이식 텀블러".write(to: folder.appendingPathComponent("product.txt"), atomically: true, encoding: .utf8)
        try "봄 캠페인 브리프".write(to: folder.appendingPathComponent("brief.md"), atomically: true, encoding: .utf8)
        let result = try baton(["run", file, "--inputs", "inputs.json", "--input", "product=@product.txt", "--input", "brief=brief.md"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "note: 접이식 텀블러 x3 / 봄 캠페인 브리프\n")
    }

    @Test func anUnreachableServerFailsTheStepWithAClearRecordedError() throws {
        let file = try write("down.yaml", """
            \(FakeServerWorkflow.header(name: "down", baseURL: "http://127.0.0.1:1/v1"))
            steps:
              - { id: copy, kind: generate, prompt: "카피" }
            """)
        let result = try baton(["run", file, "--json"])
        #expect(result.status == 1)
        let object = try json(result.stdout)
        #expect(object["status"] as? String == "failed")
        #expect((object["error"] as? String)?.hasPrefix("step 'copy' failed: connection: http://127.0.0.1:1/v1/chat/completions: connection failed") == true)
        let runID = try #require(object["run_id"] as? String)
        let steps = try shownSteps(runID)
        #expect((steps.first?["error"] as? String)?.hasPrefix("connection: ") == true)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try baton(["run"]).status == 64)
        #expect(try baton(["run", "x.yaml", "--concurrency", "0"]).status == 64)
        #expect(try baton(["run", "x.yaml", "--model", "nohash"]).status == 64)
        #expect(try baton(["resume"]).status == 64)
    }
}

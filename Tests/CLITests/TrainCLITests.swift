import Foundation
import Testing
import TestSupport

/// `baton train lora` with the real binary on a random-weight Qwen2 base (seconds per run): CSV
/// data in UTF-8 and CP949, `--json` progress, Ctrl-C's checkpoint and `--resume`, and bad input
/// reported with the file and line.
@Suite struct TrainCLITests {
    static let base = TrainTraceCLITests.base
    static let gemma = BatonProcess.repository.appendingPathComponent("Tests/RuntimeTests/Fixtures/decoders/gemma3-f32-swa3-gqa2.gguf").path
    static let small = ["--rank", "2", "--alpha", "4", "--seq-len", "256", "--threads", "1"]

    func write(_ home: PromptHome, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = home.folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)") }
    }

    /// The same two examples as UTF-8 CSV (a quoted cell with a comma and a line break) and as
    /// CP949 CSV (Korean Excel's): both train, and `--json` gives one object per step and `done`.
    @Test func promptCompletionCSVInUTF8AndCP949Trains() throws {
        let home = try PromptHome()
        let utf8 = try write(home, "pairs.csv", Array("prompt,completion,system\nGreet the client,\"Hello, and welcome.\n— Solbit\",Sign every answer.\n안녕,안녕하세요,\n".utf8))
        // "prompt,completion\n안녕,안녕하세요\n인사,안녕\n" in CP949.
        let cp949 = try write(home, "pairs-ko.csv", Array("prompt,completion\n".utf8) + [0xBE, 0xC8, 0xB3, 0xE7, 0x2C, 0xBE, 0xC8, 0xB3, 0xE7, 0xC7, 0xCF, 0xBC, 0xBC, 0xBF, 0xE4, 0x0A,
                                                                                          0xC0, 0xCE, 0xBB, 0xE7, 0x2C, 0xBE, 0xC8, 0xB3, 0xE7, 0x0A])
        for data in [utf8, cp949] {
            let out = home.folder.appendingPathComponent("a.gguf").path
            let result = try home.baton(["train", "lora", Self.base, "--data", data, "--out", out, "--epochs", "2", "--batch-tokens", "1", "--json"] + Self.small)
            #expect(result.status == 0, "\(result.stderr)")
            let events = try jsonLines(result.stdout)
            #expect(events.map { $0["event"] as? String } == ["step", "step", "step", "step", "done"])
            #expect(events.prefix(4).map { $0["step"] as? Int } == [1, 2, 3, 4])
            #expect(events.first?["total_steps"] as? Int == 4)
            #expect(events.last?["steps"] as? Int == 4)
        }
    }

    /// Ctrl-C during training: a checkpoint, exit 130; `--resume` then finishes the run with the
    /// adapter an uninterrupted run writes, byte for byte.
    @Test func ctrlCWritesACheckpointAndResumeFinishesTheSameAdapter() throws {
        let home = try PromptHome()
        let lines = (0..<6).map { #"{"messages":[{"role":"user","content":"Tagline \#($0)"},{"role":"assistant","content":"Slowly, \#($0).\n— Solbit"}]}"# }
        let data = try write(home, "data.jsonl", Array(lines.joined(separator: "\n").utf8))
        let straight = home.folder.appendingPathComponent("straight.gguf").path, resumed = home.folder.appendingPathComponent("resumed.gguf").path
        let options = ["--data", data, "--epochs", "40", "--batch-tokens", "1", "--schedule", "cosine", "--warmup", "3"] + Self.small

        let process = Process()
        process.executableURL = BatonProcess.executable
        process.arguments = ["train", "lora", Self.base, "--out", resumed] + options
        process.environment = ProcessInfo.processInfo.environment.merging(["BATON_MODELS": home.models.path]) { $1 }
        let errPath = home.folder.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: errPath.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errPath)
        process.standardOutput = FileHandle.nullDevice
        try Spawn.run(process)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, !((try? String(contentsOf: errPath, encoding: .utf8)) ?? "").contains("step 2/") { usleep(50_000) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = try String(contentsOf: errPath, encoding: .utf8)
        #expect(process.terminationStatus == 130, "\(stderr)")
        let checkpoint = home.folder.appendingPathComponent("resumed.checkpoint.gguf").path
        #expect(stderr.contains("SIGINT: stopped at step "), "\(stderr)")
        #expect(stderr.hasSuffix("; resume with --resume \(checkpoint)\n"), "\(stderr)")
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        #expect(!FileManager.default.fileExists(atPath: resumed))

        let resume = try home.baton(["train", "lora", Self.base, "--out", resumed, "--resume", checkpoint] + options)
        #expect(resume.status == 0, "\(resume.stderr)")
        #expect(resume.stderr.hasPrefix("resuming from \(checkpoint) at step "), "\(resume.stderr)")
        let whole = try home.baton(["train", "lora", Self.base, "--out", straight] + options)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed)) == Data(contentsOf: URL(fileURLWithPath: straight)))
    }

    @Test func resumeWithOtherDataIsRefusedNamingTheData() throws {
        let home = try PromptHome()
        let first = try write(home, "a.jsonl", Array(#"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}"#.utf8))
        let second = try write(home, "b.jsonl", Array(#"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello there."}]}"#.utf8))
        let out = home.folder.appendingPathComponent("v.gguf").path, checkpoint = home.folder.appendingPathComponent("v.checkpoint.gguf").path
        let trained = try home.baton(["train", "lora", Self.base, "--data", first, "--out", out, "--checkpoint-every", "1"] + Self.small)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("checkpoint \(checkpoint) (step 1)\n"), "\(trained.stderr)")
        let sums = try [first, second].map { try #require(ChildProcess.run(["sha256sum", $0])).output.prefix(12) }
        let refused = try home.baton(["train", "lora", Self.base, "--data", second, "--out", out, "--resume", checkpoint] + Self.small)
        #expect(refused.status == 1)
        #expect(refused.stderr == "\(checkpoint): error: the checkpoint was trained on other data (sha256 \(sums[0])…), not \(second) (sha256 \(sums[1])…)\n")
    }

    @Test(arguments: [
        ("bad.jsonl", #"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}"# + "\n{not json\n", ":2: error: not valid JSON"),
        ("noanswer.jsonl", #"{"messages":[{"role":"user","content":"Hi"}]}"#, ":1: error: the conversation has no assistant message to learn from"),
        ("empty.jsonl", "\n\n", ": error: the data file has no examples"),
        ("nocolumn.csv", "question,answer\nHi,Hello\n", ":1: error: a CSV data file needs the columns prompt and completion; its header has question, answer"),
        ("blank.csv", "prompt,completion\nHi,\n", ":2: error: the completion is empty: no assistant message to learn from"),
    ])
    func badDataIsReportedWithFileAndLine(name: String, text: String, message: String) throws {
        let home = try PromptHome()
        let data = try write(home, name, Array(text.utf8))
        let result = try home.baton(["train", "lora", Self.base, "--data", data, "--out", "x.gguf"] + Self.small)
        #expect(result.status == 1)
        #expect(result.stderr == data + message + "\n")
    }

    @Test func aBaseTheTrainerCannotTrainIsNamed() throws {
        let home = try PromptHome()
        let data = try write(home, "d.jsonl", Array(#"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}"#.utf8))
        let result = try home.baton(["train", "lora", Self.gemma, "--data", data, "--out", "x.gguf"] + Self.small)
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("\(Self.gemma): error: the trainer does not support architecture 'gemma3' yet (supported: llama, qwen2, exaone)\n"), "\(result.stderr)")
    }

    @Test func tooLongExamplesAreSkippedAndCounted() throws {
        let home = try PromptHome()
        let long = String(repeating: "word ", count: 400)
        let data = try write(home, "d.jsonl", Array((#"{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}"# + "\n"
            + #"{"messages":[{"role":"user","content":"\#(long)"},{"role":"assistant","content":"Long."}]}"#).utf8))
        let result = try home.baton(["train", "lora", Self.base, "--data", data, "--out", home.folder.appendingPathComponent("x.gguf").path] + Self.small)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("warning: \(data): skipped 1 examples longer than --seq-len 256 (lines 2)\n"), "\(result.stderr)")
    }
}

import Foundation
import Testing
import TestSupport

/// `baton completion bash`, loaded into a real bash and asked what it completes.
@Suite struct CompletionCLITests {
    /// The words bash offers for the command line `line` (the cursor after its last word).
    func completions(_ line: [String]) throws -> [String] {
        let script = try BatonProcess.run(["completion", "bash"])
        #expect(script.status == 0)
        let folder = try TemporaryFolder.make("completion")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("baton.bash").path
        try script.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let words = line.map { "'" + $0 + "'" }.joined(separator: " ")
        let driver = "source '\(path)'; COMP_WORDS=(\(words)); COMP_CWORD=\(line.count - 1); _baton; printf '%s\\n' \"${COMPREPLY[@]}\""
        let result = try #require(ChildProcess.run(["bash", "-c", driver]))
        #expect(result.status == 0)
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesCommandsSubcommandsAndOptions() throws {
        #expect(try completions(["baton", "pro"]) == ["prompt"])
        #expect(try completions(["baton", "model", "g"]) == ["generate"])
        #expect(try completions(["baton", "prompt", "--sy"]) == ["--system"])
        #expect(try completions(["baton", "model", "generate", "--max-"]) == ["--max-tokens"])
        #expect(Set(try completions(["baton", "export", "x", "--f"])) == ["--format", "--final"])
        // From the scheduler's option table (a command on the older path: from its help text).
        #expect(Set(try completions(["baton", "scheduler", "--d"])) == ["--db", "--dry-run"])
        #expect(try completions(["baton", "model", "generate", "--pr"]) == ["--prompt"])
    }

    @Test func unknownShellIsAUsageError() throws {
        let result = try BatonProcess.run(["completion", "fish"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("error: unknown shell 'fish' (expected bash or zsh)\n"))
    }
}

import Foundation
import Testing
import TestSupport

/// Every shell command shown in README.md and Documentation/*.md (fenced `sh` blocks) runs as
/// written, so the documentation stays true: each line is run with `sh -c` in a scratch folder
/// that links the repository's `Workflows/` and `Examples/`, with `baton` (and
/// `.build/release/baton`) the binary under test and `~` a scratch home whose model folder holds
/// SmolLM2. Runs go to the realistic loopback server through `BATON_MODEL_OVERRIDES` (offline,
/// seconds instead of minutes on the 135M model); `baton model ...` commands use SmolLM2 itself.
@Suite struct DocumentationCommandsTests {
    /// A command as a page shows it.
    struct Shown: CustomStringConvertible {
        var file: String
        var line: Int
        var command: String
        var description: String { "\(file):\(line): \(command)" }
    }

    /// Commands shown but not run here, each with the reason. A prefix covers every command that
    /// starts with it.
    static let notRun: [(prefix: String, reason: String)] = [
        ("bash Scripts/setup.sh", "builds the release binary and downloads the default model: minutes and the network"),
        ("Scripts/setup.sh", "the same set-up script"),
        ("bash Scripts/setup-test-tools.sh", "installs reference tools with pip: minutes and the network"),
        ("swift ", "the toolchain itself (builds, the whole test suite): minutes"),
        ("python3 Tests/", "fixture generators that need torch and minutes"),
        ("export BATON_LLAMA_VOCABS", "fetches llama.cpp's vocabularies from the network"),
        ("sudo ", "installs a system service"),
        ("journalctl ", "reads a system service's log"),
        ("baton bench", "benchmarks: release build, minutes"),
        (".build/release/baton bench", "benchmarks: release build, minutes"),
        ("baton scheduler", "a daemon that runs until stopped (SchedulerCLITests run it with --once)"),
        ("baton model pull https://example.org/", "downloads from a placeholder address"),
        ("baton model logits MODEL.gguf --tokens 504,3575,282 [", "a synopsis: [ ] marks optional parts"),
        ("baton model generate MODEL.gguf --prompt \"The capital of France is\" --max-tokens 64 \\", "a synopsis: [ ] marks optional parts"),
    ]

    /// Placeholders the pages use for "your file" / "your run", replaced before running.
    static func substitute(_ command: String, model: String, runID: String?, server: String) -> String {
        var text = command
        for placeholder in ["MODEL.gguf", "model.gguf"] { text = text.replacingOccurrences(of: placeholder, with: model) }
        if let runID { text = text.replacing(/\bRUN\b/, with: runID) }
        return text.replacingOccurrences(of: "http://localhost:11434/v1#qwen2.5:7b", with: server + "#realistic-model")
    }

    /// The pages' `sh` blocks as commands: continued lines joined, comments and comment-only
    /// lines (sample output) dropped, `;` and `&&` lists split.
    static func shownCommands() throws -> [Shown] {
        let folder = BatonProcess.repository.appendingPathComponent("Documentation")
        let pages = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: folder.path)).filter { $0.hasSuffix(".md") }.sorted().map { "Documentation/" + $0 }
        var shown: [Shown] = []
        for page in pages {
            let lines = try String(contentsOf: BatonProcess.repository.appendingPathComponent(page), encoding: .utf8).components(separatedBy: "\n")
            var inside = false
            var pending: (line: Int, text: String)?
            for (index, line) in lines.enumerated() {
                if line.hasPrefix("```") {
                    inside = line == "```sh"
                    continue
                }
                guard inside else { continue }
                if var continued = pending {
                    continued.text += " " + line.trimmingCharacters(in: .whitespaces)
                    pending = continued
                } else {
                    pending = (index + 1, line.trimmingCharacters(in: .whitespaces))
                }
                guard let complete = pending, !complete.text.hasSuffix("\\") else { continue }
                pending = nil
                let command = withoutComment(complete.text)
                if command.isEmpty { continue }
                for part in split(command) { shown.append(Shown(file: page, line: complete.line, command: part)) }
            }
        }
        return shown
    }

    /// `text` without a trailing `# comment` (a `#` outside quotes after a space).
    static func withoutComment(_ text: String) -> String {
        var quote: Character?
        var previous: Character = " "
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "#", previous == " " {
                return String(text[..<index]).trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A command list split at `;` and `&&` outside quotes.
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ";" || (character == "&" && text[text.index(after: index)...].hasPrefix("&")) {
                parts.append(current)
                current = ""
                index = text.index(index, offsetBy: character == ";" ? 1 : 2)
                continue
            }
            current.append(character)
            index = text.index(after: index)
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func theShownCommandsAreFoundAndEachIsRunOrListedWithAReason() throws {
        let shown = try Self.shownCommands()
        #expect(shown.count >= 30)
        for command in shown {
            // `echo TEXT | baton prompt`: text piped into baton counts as a baton command.
            let piped = (command.command.hasPrefix("echo ") || command.command.hasPrefix("printf ")) && command.command.contains("| baton ")
            let isBaton = command.command.hasPrefix("baton ") || command.command.hasPrefix(".build/release/baton ") || piped
            let skipped = Self.notRun.contains { command.command.hasPrefix($0.prefix) }
            #expect(isBaton || skipped, "\(command): neither a baton command nor listed in notRun")
        }
    }

    @Test(.requiresSmolLM2, .requiresMiniLM) func everyShownBatonCommandRunsAsWritten() throws {
        let smol = try #require(ReferenceModels.smolLM2)
        let server = try FakeOpenAIServer(config: #"{"realistic": true, "slow_seconds": 0}"#)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-docs-\(UUID().uuidString)")
        let work = scratch.appendingPathComponent("work")
        let home = scratch.appendingPathComponent("home")
        let bin = scratch.appendingPathComponent("bin")
        let manager = FileManager.default
        for folder in [work.appendingPathComponent(".build/release"), home.appendingPathComponent(".baton/models"), bin] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        defer { try? manager.removeItem(at: scratch) }
        for name in ["Workflows", "Examples"] {
            try manager.createSymbolicLink(at: work.appendingPathComponent(name), withDestinationURL: BatonProcess.repository.appendingPathComponent(name))
        }
        try manager.createSymbolicLink(at: bin.appendingPathComponent("baton"), withDestinationURL: BatonProcess.executable)
        try manager.createSymbolicLink(at: work.appendingPathComponent(".build/release/baton"), withDestinationURL: BatonProcess.executable)
        let model = home.appendingPathComponent(".baton/models/" + ReferenceModels.smolLM2FileName)
        try manager.createSymbolicLink(at: model, withDestinationURL: URL(fileURLWithPath: smol))
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["BATON_DB"] = nil
        environment["BATON_MODELS"] = nil
        environment["BATON_STREAM"] = "0"
        environment["BATON_MODEL_OVERRIDES"] = "*=\(server.baseURL.absoluteString)#realistic-model"
        if let miniLM = ReferenceModels.miniLM { environment["BATON_EMBEDDING_MODEL"] = miniLM }

        var runID: String?
        var ran = 0
        for shown in try Self.shownCommands() where !Self.notRun.contains(where: { shown.command.hasPrefix($0.prefix) }) {
            let command = Self.substitute(shown.command, model: model.path, runID: runID, server: server.baseURL.absoluteString)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.currentDirectoryURL = work
            process.environment = environment
            // No input: a command reading stdin (baton prompt, baton chat) gets its end at once
            // instead of waiting on whatever the test runner's stdin is.
            process.standardInput = FileHandle.nullDevice
            // Files, not pipes: a command's output is read after it exits, so a long one cannot block.
            let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
            manager.createFile(atPath: outURL.path, contents: nil)
            manager.createFile(atPath: errURL.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            try Spawn.run(process)
            process.waitUntilExit()
            let stderr = (try? Data(contentsOf: errURL)) ?? Data()
            ran += 1
            #expect(process.terminationStatus == 0, "\(shown) exited \(process.terminationStatus)\n\(String(decoding: stderr, as: UTF8.self))")
            if command.contains(" run ") || command.hasPrefix("baton run") || command.hasPrefix(".build/release/baton run"),
               let id = String(decoding: stderr, as: UTF8.self).components(separatedBy: "\n").last(where: { $0.hasPrefix("run ") })?.split(separator: " ").dropFirst().first {
                runID = String(id)
            }
        }
        #expect(ran >= 25)
    }
}

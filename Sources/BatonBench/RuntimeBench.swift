import Base
import CommandKit
import Foundation
import Runtime

/// `baton bench runtime [--model PATH] [--threads N] [--repetitions N]`: Baton's transformer
/// runtime against llama.cpp (llama-cpp-python) on the same GGUF with the same threads, in one
/// run: prompt processing (512 tokens) and greedy generation (128 tokens, from a one-token
/// sequence and after the prompt), medians and ratios, plus Baton's peak memory and its start-to-first-token time.
struct RuntimeBench: TableCommand {
    static let name = "runtime"
    static let abstract = "Prompt and generation speed of Baton's runtime vs llama.cpp."
    static let options = OptionTable("baton bench runtime", [
        .benchModel,
        .benchThreads,
        .timedRuns("repetitions", "Timed repetitions per engine", default: 3),
        .option("prompt-tokens", value: "N", help: "Prompt length (default 512)."),
        .option("generate-tokens", value: "N", help: "Generated tokens (default 128)."),
        .noReference("llama.cpp"),
    ])
    static let discussion = """
        Processes a prompt of N tokens (default 512) and generates M tokens greedily (default 128)
        from a one-token sequence and after the prompt, in rounds that alternate Baton and llama.cpp
        (through llama-cpp-python, on the same GGUF and threads), and prints the median tokens per
        second of each, the median of the rounds' ratios (each round's shown), Baton's peak RSS against
        the file size plus KV cache, and the time from starting `baton model generate` to its
        first token, and the bandwidth generation draws (weight bytes read per token × tokens per
        second) against a streaming read of memory on 1 and N threads. Build with `swift build -c release`.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let threads = try parsed.positiveInteger("threads", usage: usage) ?? 2
        let repetitions = try parsed.positiveInteger("repetitions", usage: usage) ?? 3
        let promptCount = try parsed.positiveInteger("prompt-tokens", usage: usage) ?? 512
        let generateCount = try parsed.positiveInteger("generate-tokens", usage: usage) ?? 128
        guard let path = BenchText.modelPath(parsed) else { return 1 }
        return try ErrorReport.reporting {
            let context = promptCount + generateCount + 16
            let model = try TransformerModel(path: path, contextLength: context, threads: threads)
            var random = SeededGenerator(seed: 42)
            let vocabulary = model.configuration.vocabularySize
            let prompt = (0..<promptCount).map { _ in Int(random.next() % UInt64(min(vocabulary, 32_000))) }
            var promptRates: [Double] = [], generationRates: [Double] = [], longRates: [Double] = []
            let clock = ContinuousClock()
            /// Greedy tokens per second for `generateCount` tokens from the current sequence.
            func generationRate(after first: UnsafeBufferPointer<Float>) throws -> Double {
                var sampler = Sampler(parameters: .greedy, vocabularySize: vocabulary)
                var token = sampler.sample(first)
                let time = try clock.measure {
                    for _ in 0..<generateCount { token = sampler.sample(try model.forward([token])) }
                }
                return Double(generateCount) / seconds(time)
            }
            // Rounds alternate the engines (Baton, then llama.cpp in its own process), so that a
            // noisy stretch of the machine falls on both rather than on one engine's block of runs.
            let withReference = !parsed.flag("no-reference")
            var references: [Reference] = []
            for _ in 0..<repetitions {
                model.reset()
                var logits: UnsafeBufferPointer<Float>?
                let promptTime = try clock.measure { logits = try model.forward(prompt) }
                promptRates.append(Double(promptCount) / seconds(promptTime))
                longRates.append(try generationRate(after: logits!))
                // From a one-token sequence, as the llama.cpp script below does.
                model.reset()
                generationRates.append(try generationRate(after: try model.forward([prompt[0]])))
                if withReference, let round = llamaCpp(path: path, prompt: prompt, generate: generateCount, threads: threads, repetitions: 1, context: context) {
                    references.append(round)
                }
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let peakMB = Double(usage.ru_maxrss) / 1024
            let memory = model.memoryUsage
            let mb = { (bytes: Int) in Double(bytes) / 1_048_576 }

            var lines = [
                "runtime bench: \((path as NSString).lastPathComponent) (\(String(format: "%.1f", mb(memory.weightBytes))) MB), \(threads) threads, prompt \(promptCount) tokens, generation \(generateCount) tokens, medians of \(repetitions) alternating rounds",
                "                          Baton    llama.cpp    ratio (median of the rounds' ratios: per round)",
            ]
            let ourGeneration = BenchTiming.median(generationRates)
            // The reference's rows only when every round ran (a missing llama-cpp-python skips all).
            let complete = references.count == repetitions
            func row(_ title: String, _ ours: [Double], _ theirs: [Double]) -> String {
                let own = title.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%9.1f", BenchTiming.median(ours)) + "  "
                guard complete else { return own + "  skipped (llama-cpp-python not available)" }
                let ratios = zip(ours, theirs).map { $0 / $1 }
                return own + String(format: "%9.1f    %5.2fx", BenchTiming.median(theirs), BenchTiming.median(ratios))
                    + "  (" + ratios.map { String(format: "%.2f", $0) }.joined(separator: " ") + ")"
            }
            lines.append(row("prompt tok/s", promptRates, references.map(\.prompt)))
            lines.append(row("generation tok/s", generationRates, references.map(\.generation)))
            lines.append(row("  after the prompt", longRates, references.map(\.generationAfterPrompt)))
            let budget = mb(memory.weightBytes + memory.kvCacheBytes)
            lines.append(String(format: "Baton peak RSS          %.1f MB (file %.1f MB + KV cache %.1f MB = %.1f MB; +%.1f MB)",
                                peakMB, mb(memory.weightBytes), mb(memory.kvCacheBytes), budget, peakMB - budget))
            // Generation reads every weight once per token: how close it comes to the memory's
            // streaming read rate (measured after the peak RSS above was taken).
            let read = mb(memory.tokenReadBytes) * 1.048576, drawn = read * ourGeneration / 1000
            let single = readBandwidth(threads: 1), parallel = threads > 1 ? readBandwidth(threads: threads) : single
            lines.append(String(format: "generation reads %.1f MB of weights per token: %.1f GB/s at %.1f tok/s, %.0f%% of the %.1f GB/s streaming read with %d threads (1 thread %.1f GB/s; bound %.0f tok/s)",
                                read, drawn, ourGeneration, 100 * drawn / parallel, parallel, threads, single, parallel * 1000 / read))
            if let firstToken = timeToFirstToken(path: path, threads: threads) {
                lines.append(String(format: "Baton start to first token  %.3f s (baton model generate --max-tokens 1, process start to exit)", firstToken))
            }
            printOut(lines.joined(separator: "\n"))
            return 0
        }
    }

    /// Streaming read bandwidth in GB/s on `threads` threads: the best of 5 passes of a SIMD sum
    /// over 256 MiB split between them (a busy machine lowers it; the best pass is the least
    /// disturbed).
    static func readBandwidth(threads: Int) -> Double {
        let count = 64 << 20
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count + 16 * threads)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 1, count: count + 16 * threads)
        let box = SendableBox(buffer)
        var best = 0.0
        for _ in 0..<5 {
            let start = ContinuousClock.now
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let lower = count / threads * t, upper = count / threads * (t + 1)
                let raw = UnsafeRawPointer(box.value)
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
                var i = lower
                while i + 64 <= upper {
                    a0 += raw.load(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                    a1 += raw.load(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self)
                    a2 += raw.load(fromByteOffset: 4 * i + 128, as: SIMD16<Float>.self)
                    a3 += raw.load(fromByteOffset: 4 * i + 192, as: SIMD16<Float>.self)
                    i += 64
                }
                // Stored past the data (each thread its own slot) so the loads are not optimized away.
                box.value[count + 16 * t] = ((a0 + a1) + (a2 + a3)).sum()
            }
            best = max(best, Double(count * 4) / seconds(ContinuousClock.now - start) / 1e9)
        }
        return best
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Runs `baton model generate` (the `baton` built next to this binary) for one token and
    /// times it from spawn to exit; nil when that binary is missing or fails.
    static func timeToFirstToken(path: String, threads: Int) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("baton")
        process.arguments = ["model", "generate", path, "--tokens", "1,504,3575,282", "--max-tokens", "1", "--temperature", "0", "--threads", String(threads), "--context", "512"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? seconds(ContinuousClock.now - start) : nil
    }

    /// llama.cpp's rates (medians over the script's repetitions): prompt, generation from one
    /// token, generation after the prompt.
    struct Reference { var prompt, generation, generationAfterPrompt: Double }

    /// llama.cpp's medians through llama-cpp-python (its default f16 KV cache, batch of 512).
    static func llamaCpp(path: String, prompt: [Int], generate: Int, threads: Int, repetitions: Int, context: Int) -> Reference? {
        let script = """
            import json, sys, time
            import numpy as np
            import llama_cpp
            path, tokens, generate, threads, reps, ctx = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
            m = llama_cpp.Llama(model_path=path, n_ctx=ctx, n_batch=512, n_ubatch=512, n_threads=threads, n_threads_batch=threads, verbose=False)
            vocab = m.n_vocab()
            # The last position's logits (Llama.scores is only filled with logits_all=True).
            greedy = lambda: int(np.argmax(np.ctypeslib.as_array(m._ctx.get_logits(), shape=(vocab,))))
            def generation():
                tok = greedy()
                t = time.perf_counter()
                for _ in range(generate):
                    m.eval([tok]); tok = greedy()
                return generate / (time.perf_counter() - t)
            pp, tg, long = [], [], []
            for _ in range(reps):
                m.reset()
                t = time.perf_counter(); m.eval(tokens); pp.append(len(tokens) / (time.perf_counter() - t))
                long.append(generation())
                m.reset(); m.eval(tokens[:1])
                tg.append(generation())
            median = lambda xs: sorted(xs)[len(xs) // 2]
            print(json.dumps({"prompt": median(pp), "generation": median(tg), "long": median(long)}))
            """
        let tokenList = "[" + prompt.map(String.init).joined(separator: ",") + "]"
        guard let output = BenchText.python(["-c", script, path, tokenList, String(generate), String(threads), String(repetitions), String(context)]),
              let json = output.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Double],
              let promptRate = object["prompt"], let generationRate = object["generation"], let long = object["long"] else { return nil }
        return Reference(prompt: promptRate, generation: generationRate, generationAfterPrompt: long)
    }
}

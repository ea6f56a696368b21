import Base
import CommandKit
import Foundation
import Runtime

/// `baton bench prefix [--model PATH] [--threads N] [--requests N] [--prefix-bytes N]
/// [--max-tokens N] [--repetitions N]`: what the prompt cache saves on a `for_each`-like load
/// (many requests sharing one long system prompt), against the same requests with the cache
/// cleared before each one, and whether the outputs are the same.
struct PrefixBench: TableCommand {
    static let abstract = "Local-model requests sharing a long prefix, with and without the prompt cache."
    static let options = OptionTable("baton bench prefix", [
        .benchModel,
        .benchThreads,
        .option("requests", value: "N", help: "Requests per pass.", default: "20"),
        .option("prefix-bytes", value: "N", help: "Size of the shared system prompt in bytes.", default: "450"),
        .option("max-tokens", value: "N", help: "Tokens generated per request.", default: "8"),
        .timedRuns("repetitions", "Timed passes per mode", default: 3),
    ])
    static let discussion = """
        Sends N greedy chat requests (default 20) that share one system prompt (mixed Korean and
        English prose, about 300 tokens by default) and differ in a short user message, to one
        loaded model: once with the prompt cache (each request keeps the previous one's prefix),
        once with the cache cleared before every request. Prints the median wall time of each,
        the ratio (with the prompt and generation parts), the prompt tokens computed, and whether
        every output matched. Build with
        `swift build -c release`.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let threads = try parsed.positiveCount("threads", usage: usage)
        let requestCount = try parsed.positiveCount("requests", usage: usage)
        let prefixBytes = try parsed.positiveCount("prefix-bytes", usage: usage)
        let maxTokens = try parsed.positiveCount("max-tokens", usage: usage)
        let repetitions = try parsed.positiveCount("repetitions", usage: usage)
        guard let path = BenchText.modelPath(parsed) else { return 1 }
        return try ErrorReport.reporting {
            let model = try ChatModel(path: path, contextLength: 2048, threads: threads)
            let system = "You write one-line summaries for Hanbit Agency's clients. Background:\n" + BenchText.mixed(bytes: prefixBytes)
            let requests = (0..<requestCount).map { index in
                ChatRequest(messages: [ChatMessage(role: .system, content: system),
                                       ChatMessage(role: .user, content: "Item \(index + 1): \(BenchText.sentences[index % BenchText.sentences.count])")],
                            sampling: .greedy, maxTokens: maxTokens)
            }
            /// One pass: wall, prompt and generation seconds, prompt tokens computed, the outputs.
            struct Pass { var total = 0.0, prompt = 0.0, generation = 0.0, computed = 0, tokens = 0, texts: [String] = [] }
            func pass(reuse: Bool) throws -> Pass {
                model.clearPromptCache()
                var result = Pass()
                let time = try ContinuousClock().measure {
                    for request in requests {
                        if !reuse { model.clearPromptCache() }
                        let answer = try model.complete(request)
                        result.computed += answer.promptTokens - answer.cachedPromptTokens
                        result.tokens += answer.promptTokens
                        result.prompt += answer.promptSeconds
                        result.generation += answer.generationSeconds
                        result.texts.append(answer.text)
                    }
                }
                result.total = RuntimeBench.seconds(time)
                return result
            }
            _ = try pass(reuse: true) // warm-up: page in the weights
            var cached: [Pass] = [], fresh: [Pass] = []
            for _ in 0..<repetitions {
                cached.append(try pass(reuse: true))
                fresh.append(try pass(reuse: false))
            }
            let shared = model.promptTokens(try model.template.render(requests[0].messages)).count
            func row(_ title: String, _ value: (Pass) -> Double) -> String {
                let a = BenchTiming.median(cached.map(value)), b = BenchTiming.median(fresh.map(value))
                return title.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%7.2f    %8.2f    %5.2fx", a, b, b / a)
            }
            let same = zip(cached[cached.count - 1].texts, fresh[fresh.count - 1].texts).filter { $0 == $1 }.count
            printOut("""
                prefix bench: \((path as NSString).lastPathComponent), \(threads) threads, \(requestCount) requests of about \(shared) prompt tokens sharing a system prompt, \(maxTokens) generated tokens each, medians of \(repetitions)
                                          cache    no cache    ratio
                \(row("seconds, all requests", \.total))
                \(row("  prompt", \.prompt))
                \(row("  generation", \.generation))
                prompt tokens computed  \(String(format: "%7d    %8d", cached[0].computed, fresh[0].computed)) (of \(cached[0].tokens))
                identical outputs       \(same)/\(requestCount)
                """)
            return same == requestCount ? 0 : 1
        }
    }
}

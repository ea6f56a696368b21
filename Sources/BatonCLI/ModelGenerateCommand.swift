import CommandKit
import Foundation
import Runtime

/// `baton model generate PATH --prompt TEXT | --tokens IDS [sampling options] [--json]`:
/// generates text, streaming it as tokens arrive.
struct ModelGenerateCommand: TableCommand {
    static let abstract = "Generate text from a prompt, streaming tokens as they come."
    static let options = ModelRunOptions.table("baton model generate", [
        .option("max-tokens", value: "N", help: "Most tokens to generate (default 128)."),
        .option("temperature", value: "T", help: "0 for greedy (default 0.8)."),
        .option("top-k", value: "K", help: "Keep the K most likely tokens, 0 for all (default 40)."),
        .option("top-p", value: "P", help: "Nucleus sampling threshold (default 0.95)."),
        .option("min-p", value: "P", help: "Drop tokens below P times the best one (default 0.05)."),
        .option("repeat-penalty", value: "R", help: "Penalty for the last 64 tokens (default 1, off)."),
        .option("seed", value: "S", help: "Seed of the random choice (default 0)."),
    ], json: #"Print {"tokens", "text", "stop_reason", "prompt_tokens", "prompt_tokens_per_second", "generation_tokens_per_second", "time_to_first_token_seconds"} at the end instead of streaming."#)
    static let discussion = """
        Runs the prompt through the GGUF model at PATH and samples up to N tokens, printing the
        text as it arrives (stdout) and the speed afterwards (stderr). Stops at the model's end
        of sequence token. Temperature 0 is greedy and reproducible; a seed makes sampling so.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let start = ContinuousClock.now
        let options = try ModelRunOptions(parsed, usage: usage)
        var sampling = SamplingParameters()
        sampling.temperature = try parsed.finiteNumber("temperature", usage: usage) ?? sampling.temperature
        sampling.topP = try parsed.finiteNumber("top-p", usage: usage) ?? sampling.topP
        sampling.minP = try parsed.finiteNumber("min-p", usage: usage) ?? sampling.minP
        sampling.repetitionPenalty = try parsed.finiteNumber("repeat-penalty", usage: usage) ?? sampling.repetitionPenalty
        if let k = parsed.value("top-k") {
            guard let value = Int(k), value >= 0 else { throw UsageError(message: "--top-k must be a whole number, found '\(k)'", usage: usage) }
            sampling.topK = value
        }
        if let seed = parsed.value("seed") {
            guard let value = UInt64(seed) else { throw UsageError(message: "--seed must be a whole number, found '\(seed)'", usage: usage) }
            sampling.seed = value
        }
        let maxTokens = try parsed.positiveInteger("max-tokens", usage: usage) ?? 128
        let json = parsed.flag("json")
        return try ErrorReport.reporting {
            let (model, pendingTokenizer, prompt) = try options.loadOverlapped()
            var sampler = Sampler(parameters: sampling, vocabularySize: model.configuration.vocabularySize)
            var detokenizer: StreamingDetokenizer?
            var waited = false
            var text = ""
            var firstToken: Duration?
            let result = try model.generate(prompt: prompt, maxTokens: maxTokens, sampler: &sampler) { token in
                if !waited {
                    detokenizer = (pendingTokenizer.get() ?? nil).map { StreamingDetokenizer(tokenizer: $0) }
                    waited = true
                }
                let piece = detokenizer?.append(token) ?? ""
                text += piece
                if !json && !piece.isEmpty { printOut(piece, terminator: "") }
                if firstToken == nil { firstToken = ContinuousClock.now - start }
                return true
            }
            let rest = detokenizer?.finish() ?? ""
            text += rest
            let ttft = firstToken.map { Double($0.components.seconds) + Double($0.components.attoseconds) * 1e-18 } ?? 0
            if json {
                let object: [String: Any] = [
                    "prompt_tokens": result.promptTokens, "tokens": result.tokens, "text": text,
                    "stop_reason": result.stopReason.rawValue,
                    "prompt_tokens_per_second": result.promptTokensPerSecond,
                    "generation_tokens_per_second": result.generationTokensPerSecond,
                    "time_to_first_token_seconds": ttft,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                printOut(String(decoding: data, as: UTF8.self))
            } else {
                printOut(rest)
                printError(String(format: "%d prompt tokens at %.1f tok/s, %d generated at %.1f tok/s (%@), first token after %.3f s",
                                  result.promptTokens, result.promptTokensPerSecond, result.tokens.count,
                                  result.generationTokensPerSecond, result.stopReason.rawValue, ttft))
            }
            return 0
        }
    }
}

import CommandKit
import Foundation
import Runtime

/// `baton model generate PATH --prompt TEXT | --tokens IDS [sampling options] [--json]`:
/// generates text, streaming it as tokens arrive.
struct ModelGenerateCommand: Command {
    static let name = "generate"
    static let abstract = "Generate text from a prompt, streaming tokens as they come."
    static let usage = "USAGE: baton model generate PATH (--prompt TEXT | --tokens IDS) [--max-tokens N] [--temperature T] [--top-k K] [--top-p P] [--min-p P] [--repeat-penalty R] [--seed S] [--threads N] [--context N] [--lora PATH[:SCALE]]... [--special] [--json]"
    static let help = """
        \(usage)

        Runs the prompt through the GGUF model at PATH and samples up to N tokens, printing the
        text as it arrives (stdout) and the speed afterwards (stderr). Stops at the model's end
        of sequence token. Temperature 0 is greedy and reproducible; a seed makes sampling so.

        OPTIONS:
          --prompt TEXT        Text, tokenized with the model's tokenizer (BOS as the model asks).
          --tokens IDS         Comma-separated token ids instead of text.
          --special            Parse control tokens written in TEXT (<|im_start|>, ...).
          --max-tokens N       Most tokens to generate (default 128).
          --temperature T      0 for greedy (default 0.8).
          --top-k K            Keep the K most likely tokens, 0 for all (default 40).
          --top-p P            Nucleus sampling threshold (default 0.95).
          --min-p P            Drop tokens below P times the best one (default 0.05).
          --repeat-penalty R   Penalty for the last 64 tokens (default 1, off).
          --seed S             Seed of the random choice (default 0).
          --threads N          Worker threads (default: all cores).
          --context N          Context length (default: the model's, at most 4096).
          --lora PATH[:SCALE]  Apply a LoRA adapter (llama.cpp GGUF format), scale 1 by default;
                               repeat for several.
          --json               Print {"tokens", "text", "stop_reason", "prompt_tokens",
                               "prompt_tokens_per_second", "generation_tokens_per_second",
                               "time_to_first_token_seconds"} at the end instead of streaming.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let start = ContinuousClock.now
        let valued = ModelRunOptions.valued.union(["max-tokens", "temperature", "top-k", "top-p", "min-p", "repeat-penalty", "seed"])
        let parsed = try ParsedArguments(arguments, valued: valued, booleans: ["json", "special"], usage: usage)
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

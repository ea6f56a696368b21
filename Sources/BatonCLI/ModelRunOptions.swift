import CommandKit
import Foundation
import Synchronization
import Providers
import Runtime
import Workflow

/// Options that `baton model logits` and `baton model generate` share: the input (token ids or
/// text), threads and context length, and loading the model with clean errors.
struct ModelRunOptions {
    var path: String
    var tokens: [Int]?
    var text: String?
    var threads: Int?
    var context: Int?
    var parseSpecial: Bool
    /// `--lora PATH[:SCALE]` (repeatable): adapters applied on top of the model.
    var loras: [(path: String, scale: Float)] = []

    /// The input: token ids or text (`--text` is an older name of `--prompt`).
    static let input = CommandArgument.oneOf([
        .option("tokens", value: "IDS", help: "Comma-separated token ids (no tokenizer involved)."),
        .option("prompt", value: "TEXT", help: "Text, tokenized with the model's tokenizer (BOS as the model asks).", aliases: ["text"]),
    ])

    /// The table of `logits` or `generate`: the model PATH and the input, the command's `own`
    /// options, the shared ones, then `--json` printing `json`.
    static func table(_ command: String, _ own: [CommandArgument], json: String) -> OptionTable {
        OptionTable(command, [.positional("PATH"), input] + own + arguments + [.flag("json", help: json)])
    }

    /// What `logits` and `generate` take after their own options.
    static let arguments: [CommandArgument] = [
        .workerThreads,
        .option("context", value: "N", help: "Context length (default: the model's, at most 4096)."),
        .option("lora", value: "PATH[:SCALE]", help: "Apply a LoRA adapter (llama.cpp GGUF format), scale 1 by default; repeat for several.", repeatable: true),
        .flag("special", help: "Parse control tokens written in TEXT (<|im_start|>, ...)."),
    ]

    init(_ parsed: ParsedArguments, usage: String) throws {
        guard parsed.positionals.count == 1 else { throw UsageError(message: "expected one model PATH", usage: usage) }
        path = Self.locate(parsed.positionals[0])
        text = parsed.value("prompt")
        parseSpecial = parsed.flag("special")
        if let list = parsed.value("tokens") {
            var ids: [Int] = []
            for item in list.split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = Int(item.trimmingCharacters(in: .whitespaces)), id >= 0 else {
                    throw UsageError(message: "--tokens must be comma-separated token ids, found '\(item)'", usage: usage)
                }
                ids.append(id)
            }
            tokens = ids
        }
        guard (tokens == nil) != (text == nil) else {
            throw UsageError(message: "give exactly one of --tokens and --prompt", usage: usage)
        }
        threads = try parsed.positiveInteger("threads", usage: usage)
        context = try parsed.positiveInteger("context", usage: usage)
        for item in parsed.values("lora") {
            if let colon = item.lastIndex(of: ":"), let scale = Float(item[item.index(after: colon)...]), scale.isFinite {
                loras.append((String(item[..<colon]), scale))
            } else {
                loras.append((item, 1))
            }
        }
    }

    /// A model named as a workflow names it: a path that exists is used as is; otherwise a
    /// relative name is looked up in `$BATON_MODELS` (default `~/.baton/models`) and `models/`,
    /// so `baton model generate SmolLM2-135M-Instruct.Q4_1.gguf` finds what `baton run` finds.
    static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var lookup = environment
        lookup["BATON_MODELS"] = LocalLanguageModel.modelFolder(environment: environment)
        return ModelSpec.LocalModel(path: name).resolvedPath(environment: lookup, fileExists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// Loads the model and its tokenizer (the tokenizer only when text is involved or wanted).
    func load(needTokenizer: Bool) throws -> (TransformerModel, Tokenizer?, [Int]) {
        let file = try GGUFFile(path: path)
        let model = try TransformerModel(file: file, contextLength: context, threads: threads)
        model.adapters = try loras.map { try ScaledLoRA(LoRAAdapter(path: $0.path, base: file), scale: $0.scale) }
        var tokenizer: Tokenizer?
        if needTokenizer || text != nil { tokenizer = try Tokenizer(file: file) }
        let ids = tokens ?? tokenizer.map { $0.encode(text ?? "", addSpecial: true, parseSpecial: parseSpecial) } ?? []
        return (model, tokenizer, ids)
    }

    /// Loads the model, and its tokenizer on another thread when the input is token ids, so that
    /// building the tokenizer overlaps the prompt (the tokenizer is needed only for the output).
    func loadOverlapped() throws -> (TransformerModel, Background<Tokenizer?>, [Int]) {
        guard let ids = tokens else {
            let (model, tokenizer, ids) = try load(needTokenizer: true)
            return (model, Background(value: tokenizer), ids)
        }
        let file = try GGUFFile(path: path)
        let tokenizer = Background<Tokenizer?> { try? Tokenizer(file: file) }
        return (try TransformerModel(file: file, contextLength: context, threads: threads), tokenizer, ids)
    }
}

/// A value computed on a background thread, waited for on first use.
///
/// Not an async bridge: the wait happens inside `TransformerModel.generate`'s synchronous
/// per-token callback (at the first token), where nothing can be awaited, and the tokenizer is
/// built on its own thread so that it overlaps the prompt without taking a cooperative thread.
final class Background<Value: Sendable>: Sendable {
    /// The value once made.
    private let value: Mutex<Value?>
    /// Signalled when `value` is set; every waiter signals it again for the next.
    private let done = DispatchSemaphore(value: 0)

    init(value: Value) {
        self.value = Mutex(value)
        done.signal()
    }

    init(_ make: @escaping @Sendable () -> Value) {
        value = Mutex(nil)
        Thread.detachNewThread { [self] in
            let made = make()
            value.withLock { $0 = made }
            done.signal()
        }
    }

    /// The value, waiting for the background thread if it is not done yet.
    func get() -> Value? {
        done.wait()
        done.signal()
        return value.withLock { $0 }
    }
}

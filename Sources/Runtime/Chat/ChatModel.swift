import Foundation

/// A loaded GGUF model with its tokenizer and chat template, answering one chat request at a
/// time: messages → chat template → tokens → prefill → sampling → streamed text.
///
/// The KV cache keeps the previous request's prompt: a request that starts with the same tokens
/// (and uses the same adapters) computes only the rest, with results bit-identical to a fresh
/// run (see `PromptCache`); `ChatResult.cachedPromptTokens` says how many were kept.
///
/// @unchecked Sendable: the transformer and its KV cache are only touched under `lock`, so
/// concurrent callers (steps, `for_each` items) queue instead of corrupting the cache.
public final class ChatModel: @unchecked Sendable {
    public let path: String
    /// Internal, not public: callers go through `complete`, which holds `lock`; only tests look inside.
    let model: TransformerModel
    public let tokenizer: Tokenizer
    public let template: ChatTemplate
    private let lock = NSLock()
    /// The previous request's prompt in the KV cache; nil when nothing may be reused.
    private var cache: PromptCache?
    /// Token bytes, looked up once for JSON-constrained decoding.
    private lazy var pieces: [[UInt8]] = (0..<tokenizer.vocabularySize).map { tokenizer.piece($0) }

    /// Loads `path`: a missing or corrupt file, or one without a tokenizer, fails with a message
    /// naming it.
    public init(path: String, contextLength: Int? = nil, threads: Int? = nil) throws(RuntimeError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuntimeError(file: path, message: "no such model file")
        }
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw RuntimeError(file: path, message: "not a readable GGUF model: \(error)") }
        guard file.strings("tokenizer.ggml.tokens") != nil else {
            throw RuntimeError(file: path, message: "the model has no tokenizer (tokenizer.ggml.tokens is missing)")
        }
        do { tokenizer = try Tokenizer(file: file) } catch { throw RuntimeError(file: path, message: "\(error)") }
        do { template = try ChatTemplate(file: file, tokenizer: tokenizer) } catch { throw RuntimeError(file: path, message: error.message) }
        do { model = try TransformerModel(file: file, contextLength: contextLength, threads: threads) } catch {
            throw RuntimeError(file: path, message: error.message)
        }
        self.path = path
        if let warning = template.warning { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
    }

    /// The prompt tokens for `text` (special tokens such as `<|im_start|>` parsed; BOS added when
    /// the model asks for it and the template did not write it).
    public func promptTokens(_ text: String) -> [Int] {
        let bosText = tokenizer.bos.map { tokenizer.tokens[$0] } ?? ""
        let addBOS = tokenizer.addBOS && (bosText.isEmpty || !text.hasPrefix(bosText))
        var tokens = tokenizer.encode(text, addSpecial: false, parseSpecial: true)
        if addBOS, let bos = tokenizer.bos { tokens.insert(bos, at: 0) }
        return tokens
    }

    /// Loads a LoRA adapter for this model, checking it fits (architecture and shapes).
    public func adapter(path adapterPath: String) throws(RuntimeError) -> LoRAAdapter {
        do { return try LoRAAdapter(path: adapterPath, base: model.file) } catch { throw RuntimeError(file: error.file, message: error.message) }
    }

    /// Forgets the cached prompt: the next request computes its whole prompt.
    public func clearPromptCache() {
        lock.withLock { cache = nil }
    }

    /// Runs `request`, calling `onText` with text as it is generated. Requests queue on a lock.
    public func complete(_ request: ChatRequest, isCancelled: () -> Bool = { false }, onText: (String) -> Void = { _ in }) throws(RuntimeError) -> ChatResult {
        lock.lock()
        defer { lock.unlock() }
        let prompt: String
        do { prompt = try template.render(request.messages, thinking: request.thinking) } catch { throw error }
        let tokens = promptTokens(prompt)
        guard tokens.count < model.contextLength else {
            throw RuntimeError(file: path, message: "the prompt is \(tokens.count) tokens, the context holds \(model.contextLength); shorten the input or raise 'context:'")
        }
        let stopTokens = model.endOfSequenceTokens.union([tokenizer.eos, tokenizer.eot].compactMap { $0 })
        var sampler = Sampler(parameters: request.sampling, vocabularySize: tokenizer.vocabularySize)
        var mask = request.jsonOnly || request.jsonShape != nil ? JSONTokenMask(pieces: pieces, endTokens: stopTokens, shape: request.jsonShape) : nil
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var stops = StopStringMatcher(stops: request.stop)
        let clock = ContinuousClock()
        // A sliding-window cache may no longer hold what a kept prefix needs: then start over.
        let reusable = cache?.reusable(for: tokens, adapters: request.adapters, position: model.position) ?? 0
        let kept = model.canRewind(to: reusable) ? reusable : 0
        cache = nil
        model.adapters = request.adapters
        defer {
            model.adapters = []
            cache?.endPosition = model.position
        }
        let promptStart = clock.now
        var logits: UnsafeBufferPointer<Float>
        do {
            if kept > 0 { try model.rewind(to: kept) } else { model.reset() }
            logits = try model.forward(Array(tokens[kept...]))
        } catch { throw RuntimeError(file: path, message: error.message) }
        cache = PromptCache(tokens: tokens, adapters: request.adapters, endPosition: model.position)
        let promptSeconds = seconds(clock.now - promptStart)
        let generationStart = clock.now
        var history = tokens
        var generated = 0
        var finish = "length"
        var stoppedByString = false
        while generated < request.maxTokens && !isCancelled() {
            let token: Int
            if var active = mask {
                let allowed = active.apply(logits)
                token = allowed.withUnsafeBufferPointer { sampler.sample($0, history: history) }
                active.accept(token)
                mask = active
            } else {
                token = sampler.sample(logits, history: history)
            }
            if stopTokens.contains(token) { finish = "stop"; break }
            generated += 1
            history.append(token)
            let (release, stopped) = stops.append(detokenizer.append(token))
            if !release.isEmpty { onText(release) }
            if stopped { finish = "stop"; stoppedByString = true; break }
            if generated == request.maxTokens || model.position >= model.contextLength { break }
            do { logits = try model.forward([token]) } catch { throw RuntimeError(file: path, message: error.message) }
        }
        if !stoppedByString {
            // Cut off by the token limit inside a multi-byte character (a Korean syllable is often
            // split over byte tokens): drop the half character rather than show U+FFFD.
            if finish == "length" { detokenizer.discardIncomplete() }
            var ending = detokenizer.finish()
            // Cut off by max_tokens inside the JSON: close it so the answer still parses.
            if let active = mask, !active.validator.isComplete { ending += active.validator.closingSuffix() }
            let (tail, _) = stops.append(ending)
            let rest = tail + stops.finish()
            if !rest.isEmpty { onText(rest) }
        }
        return ChatResult(text: stops.text, prompt: prompt, promptTokens: tokens.count, cachedPromptTokens: kept, completionTokens: generated,
                          finishReason: finish, promptSeconds: promptSeconds, generationSeconds: seconds(clock.now - generationStart))
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}

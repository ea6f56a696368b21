import Foundation
import Providers
import Audit
import Template
import Workflow

extension Engine {
    /// `generate`, `summarize`, `translate`, `extract`, `rag_query` with `prompt` (after its
    /// search, recorded with every attempt): calls the model, retrying transient
    /// failures with backoff, repairing invalid JSON once and re-asking once for missing glossary
    /// terms. Every attempt but the last is recorded here; the last is returned unrecorded.
    func runModelUnit(_ step: Step, key: StepKey, context: [String: Value], _ state: RunState) async -> FinalAttempt {
        let started = Date()
        var row = StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                    status: .failed, parametersJSON: parametersJSON(step, format: .text), startedAt: started, finishedAt: started)
        let model: any LanguageModel
        let prompt: StepPrompt
        var extra: String?
        do {
            model = try models.model(step.model)
            row.model = model.identity
            if case .ragQuery(let action) = step.action {
                let found = try retrieve(action, key: key, context: context, state)
                extra = found.auditJSON
                row.extraJSON = extra
                prompt = try StepPrompt.rag(action, found, context: context, workflow: workflow)
            } else {
                prompt = try StepPrompt.make(step.action, context: context, workflow: workflow)
            }
        } catch {
            row.error = "\(error)"
            row.finishedAt = Date()
            return FinalAttempt(row: row, output: nil, status: .failed)
        }
        row.parametersJSON = parametersJSON(step, format: prompt.responseFormat)
        var messages = prompt.messages
        let maxAttempts = max(1, step.retry.attempts)
        var followUpUsed = false
        var attempt = 0
        let clock = ContinuousClock()
        while true {
            attempt += 1
            row.attempt = attempt
            row.startedAt = Date()
            row.prompt = StepPrompt.auditText(messages)
            row.outputText = nil
            row.outputJSON = nil
            row.extraJSON = extra
            row.tokensIn = nil
            row.tokensOut = nil
            row.status = .failed
            row.error = nil
            if Task.isCancelled {
                row.status = .cancelled
                row.error = "cancelled: the run was cancelled before the request was sent"
                row.finishedAt = Date()
                return FinalAttempt(row: row, output: nil, status: .cancelled)
            }
            observer(.attemptStarted(key, attempt: attempt))
            let request = ModelRequest(messages: messages, parameters: SamplingParameters(step.sampling), responseFormat: prompt.responseFormat,
                                       timeout: step.timeout, schema: prompt.schema)
            let observer = self.observer
            let begin = clock.now
            let result: Result<ModelResponse, ModelError> = await state.limiter.withSlot {
                do throws(ModelError) {
                    return .success(try await model.complete(request, onToken: { observer(.token(key, $0)) }))
                } catch {
                    return .failure(error)
                }
            }
            row.latencyMs = (clock.now - begin).milliseconds
            row.finishedAt = Date()
            switch result {
            case .failure(let error):
                row.error = error.description
                if error.kind == .cancelled {
                    row.status = .cancelled
                    state.markCancelled("the run was cancelled")
                    return FinalAttempt(row: row, output: nil, status: .cancelled)
                }
                guard error.isRetryable, attempt < maxAttempts else { return FinalAttempt(row: row, output: nil, status: .failed) }
                record(row, state)
                do {
                    try await Task.sleep(for: backoff(after: attempt, policy: step.retry, retryAfter: error.retryAfter))
                } catch {
                    state.markCancelled("the run was cancelled")
                    return FinalAttempt(row: nil, output: nil, status: .cancelled)
                }
            case .success(let response):
                // A local model's chat-template rendering is what it actually read: audit that.
                if let rendered = response.renderedPrompt { row.prompt = rendered }
                row.outputText = response.text
                row.tokensIn = response.tokensIn
                row.tokensOut = response.tokensOut
                // A local model's prompt cache leaves the output unchanged; the audit still says so.
                if let cached = response.cachedPromptTokens, cached > 0 {
                    row.extraJSON = Engine.extraJSON(row.extraJSON, adding: ["cached_prompt_tokens": .int(cached)])
                }
                switch step.action {
                case .extract(let action):
                    do throws(ExtractedJSON.Problem) {
                        let value = try ExtractedJSON.parse(response.text, schema: action.schema)
                        row.outputJSON = value.jsonString()
                        row.status = .succeeded
                        return FinalAttempt(row: row, output: value, status: .succeeded)
                    } catch {
                        row.error = "invalid_json: \(error.message)"
                        guard attempt < maxAttempts || !followUpUsed else { return FinalAttempt(row: row, output: nil, status: .failed) }
                        if attempt >= maxAttempts { followUpUsed = true }
                        record(row, state)
                        let repair = (try? Recipes.render(Recipes.extractRepair(prompt.language), name: "recipe extract repair",
                                                          ["problem": .string(error.message), "schema": .string(action.schema.jsonSchema)])) ?? error.message
                        messages = prompt.messages + [ModelMessage(role: .assistant, content: response.text), ModelMessage(role: .user, content: repair)]
                    }
                case .translate(let action):
                    let missing = action.glossary.filter { !response.text.contains($0.target) }
                    let check: ValueDictionary = ["glossary_check": .dict([
                        "terms": .int(action.glossary.count), "ok": .bool(missing.isEmpty),
                        "missing": .list(missing.map { .dict(["source": .string($0.source), "target": .string($0.target)]) }),
                    ])]
                    if !action.glossary.isEmpty { row.extraJSON = Engine.extraJSON(row.extraJSON, adding: check) }
                    if missing.isEmpty {
                        row.status = .succeeded
                        return FinalAttempt(row: row, output: .string(response.text), status: .succeeded)
                    }
                    row.error = "glossary: " + missing.map { "'\($0.target)' (for '\($0.source)') is missing" }.joined(separator: ", ")
                    guard !followUpUsed else { return FinalAttempt(row: row, output: nil, status: .failed) }
                    followUpUsed = true
                    record(row, state)
                    let note = (try? Recipes.render(Recipes.glossaryRetry(prompt.language), name: "recipe glossary retry",
                                                    ["missing": .list(missing.map { .dict(["source": .string($0.source), "target": .string($0.target)]) })])) ?? row.error ?? ""
                    messages = prompt.messages + [ModelMessage(role: .assistant, content: response.text), ModelMessage(role: .user, content: note)]
                default:
                    row.status = .succeeded
                    return FinalAttempt(row: row, output: .string(response.text), status: .succeeded)
                }
            }
        }
    }

    /// `json` (an attempt's extra JSON object, or nil) with `entries` added, so that what a step
    /// kind records (the glossary check, what was retrieved) and what the model reported share
    /// one object.
    static func extraJSON(_ json: String?, adding entries: ValueDictionary) -> String {
        var merged = ValueDictionary()
        if let json, case .dict(let existing)? = try? Value(json: Data(json.utf8)) { merged = existing }
        for (key, value) in entries.entries { merged[key] = value }
        return Value.dict(merged).jsonString()
    }

    /// The sampling and limits of a step as stored with each attempt (`null`s left out).
    func parametersJSON(_ step: Step, format: ResponseFormat) -> String {
        var parameters = ValueDictionary()
        let sampling = step.sampling
        if let value = sampling.temperature { parameters["temperature"] = .double(value) }
        if let value = sampling.topP { parameters["top_p"] = .double(value) }
        if let value = sampling.topK { parameters["top_k"] = .int(value) }
        if let value = sampling.minP { parameters["min_p"] = .double(value) }
        if let value = sampling.repetitionPenalty { parameters["repetition_penalty"] = .double(value) }
        if let value = sampling.maxTokens { parameters["max_tokens"] = .int(value) }
        if let value = sampling.seed { parameters["seed"] = .int(value) }
        if let stop = sampling.stop, !stop.isEmpty { parameters["stop"] = .list(stop.map(Value.string)) }
        switch format {
        case .text: break
        case .json: parameters["response_format"] = "json_object"
        case .jsonSchema: parameters["response_format"] = "json_schema"
        }
        if let timeout = step.timeout { parameters["timeout_ms"] = .int(timeout.milliseconds) }
        if step.retry.attempts > 1 {
            parameters["retry"] = .dict(["attempts": .int(step.retry.attempts), "backoff_ms": .int(step.retry.backoff.milliseconds)])
        }
        return Value.dict(parameters).jsonString()
    }
}

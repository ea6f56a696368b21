import Base
import Foundation
import Providers
import Audit
import Template
import Workflow

extension Engine {
    /// `generate`, `summarize`, `translate`, `extract`, `rag_query` with `prompt` (after its
    /// search, recorded with every attempt): calls the model and lets the step kind's
    /// `AnswerCheck` judge the answer. Transient failures (HTTP 5xx, 429, timeouts) are retried
    /// with backoff, the same request again; a refused answer is followed up with a message that
    /// names what is wrong, so every follow-up request differs from the one before. Each attempt
    /// gets a fresh record; every one but the last is recorded here, the last is returned unrecorded.
    func runModelUnit(_ step: Step, key: StepKey, context: [String: Value], _ state: RunState) async -> FinalAttempt {
        var call: ModelCall
        switch prepareModelCall(step, key: key, context: context, state) {
        case .success(let prepared): call = prepared
        case .failure(let failed): return FinalAttempt(row: failed.row, output: nil, status: .failed)
        }
        if let reused = reuse(&call, step: step, state) { return reused }
        let check = call.prompt.answerCheck(for: step.action)
        // The model's own time across attempts: no slot wait, no load, no backoff sleep.
        var spent: Duration = .zero
        var lastCall: Duration?
        func finish(_ attempt: FinalAttempt) -> FinalAttempt {
            var attempt = attempt
            attempt.callTime = lastCall.map { _ in spent }
            attempt.lastCallTime = lastCall
            return attempt
        }
        let maxAttempts = max(1, step.retry.attempts)
        // At least one follow-up even without retries: a repair is cheap and usually works.
        let maxFollowUps = max(1, maxAttempts - 1)
        var conversation = call.prompt.messages
        var followUps = 0
        var reason: String?
        var attempt = 0
        while true {
            attempt += 1
            var row = call.record(attempt: attempt, messages: conversation)
            if Task.isCancelled {
                row.status = .cancelled
                row.error = "cancelled: the run was cancelled before the request was sent"
                return finish(FinalAttempt(row: row, output: nil, status: .cancelled))
            }
            // The budget is checked before every request, retries and follow-ups included.
            var reserved: (ledger: BudgetLedger, estimate: BudgetLedger.Estimate, price: ModelPrice?)?
            if let ledger = state.budget {
                let price = models.price(step.model, identity: call.model.identity)
                let estimate = BudgetLedger.estimate(conversation, maxTokens: step.sampling.maxTokens, price: price)
                if let refusal = ledger.reserve(estimate, model: step.model ?? "default", price: price) {
                    row.error = refusal
                    row.finishedAt = Date()
                    state.requestStop()
                    return finish(FinalAttempt(row: row, output: nil, status: .failed))
                }
                reserved = (ledger, estimate, price)
            }
            observer(.attemptStarted(key, attempt: attempt, reason: reason))
            let request = ModelRequest(messages: conversation, parameters: step.sampling,
                                       responseFormat: call.prompt.responseFormat, timeout: step.timeout, shape: call.prompt.shape,
                                       thinking: step.sampling.think ?? false)
            let (result, timing) = await send(request, to: call.model, key: key, state)
            if let reserved {
                let response = try? result.get()
                reserved.ledger.settle(reserved.estimate, tokensIn: response?.tokensIn, tokensOut: response?.tokensOut, price: reserved.price)
            }
            row.latencyMs = timing.call.milliseconds
            spent += timing.call
            lastCall = timing.call
            // The wait for a concurrency slot is not the model's time; recorded apart when there was one.
            if timing.queueWait >= .milliseconds(1) {
                row.extraJSON = Engine.extraJSON(row.extraJSON, adding: ["queue_wait_ms": .int(timing.queueWait.milliseconds)])
            }
            row.finishedAt = Date()
            switch result {
            case .failure(let error):
                row.error = error.description
                if error.kind == .cancelled {
                    row.status = .cancelled
                    state.markCancelled("the run was cancelled")
                    return finish(FinalAttempt(row: row, output: nil, status: .cancelled))
                }
                guard error.isRetryable, attempt < maxAttempts else { return finish(FinalAttempt(row: row, output: nil, status: .failed)) }
                record(row, state)
                reason = Self.retryReason(error)
                do {
                    try await Task.sleep(for: backoff(after: attempt, policy: step.retry, retryAfter: error.retryAfter))
                } catch {
                    state.markCancelled("the run was cancelled")
                    return finish(FinalAttempt(row: nil, output: nil, status: .cancelled))
                }
            case .success(var response):
                // Think blocks never reach the output; the audit keeps them apart (hash-chained
                // with the rest of `extra_json`).
                let (answer, thinking) = ThinkBlocks.split(response.text)
                response.text = answer
                row.take(response)
                if let thinking { row.extraJSON = Engine.extraJSON(row.extraJSON, adding: ["thinking": .string(thinking)]) }
                let (verdict, extra) = check.judge(response.text)
                if !extra.isEmpty { row.extraJSON = Engine.extraJSON(row.extraJSON, adding: extra) }
                switch verdict {
                case .accept(let value):
                    row.status = .succeeded
                    if case .extract = step.action { row.outputJSON = value.jsonString() }
                    return finish(FinalAttempt(row: row, output: value, status: .succeeded))
                case .followUp(let error, let why, let message):
                    row.error = error
                    guard followUps < maxFollowUps else { return finish(FinalAttempt(row: row, output: nil, status: .failed)) }
                    followUps += 1
                    record(row, state)
                    conversation += [ChatMessage(role: .assistant, content: response.text), ChatMessage(role: .user, content: message)]
                    reason = why
                }
            }
        }
    }

    /// Sends one request once a concurrency slot is free; the call's time is measured from the
    /// moment it holds the slot, so `latency_ms` and tok/s never include the wait for the slot.
    private func send(_ request: ModelRequest, to model: any LanguageModel, key: StepKey,
                      _ state: RunState) async -> (Result<ModelResponse, ModelError>, CallTiming) {
        let observer = self.observer
        let clock = ContinuousClock()
        let queued = clock.now
        return await state.limiter.withSlot {
            let begin = clock.now
            let result: Result<ModelResponse, ModelError>
            // Streamed pieces pass through the same filter as the final text.
            let visible = ThinkBlocks.Stream()
            do throws(ModelError) {
                result = .success(try await model.complete(request, onToken: { piece in
                    let text = visible.feed(piece)
                    if !text.isEmpty { observer(.token(key, text)) }
                }))
                let tail = visible.finish()
                if !tail.isEmpty { observer(.token(key, tail)) }
            } catch {
                result = .failure(error)
            }
            return (result, CallTiming(queueWait: begin - queued, call: clock.now - begin))
        }
    }

    /// The model, prompt and base record of a model unit, or the failed record when the model
    /// cannot be made or the prompt not rendered.
    private func prepareModelCall(_ step: Step, key: StepKey, context: [String: Value], _ state: RunState) -> Result<ModelCall, FailedRecord> {
        let started = Date()
        var row = StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                    status: .failed, parametersJSON: parametersJSON(step, format: .text), startedAt: started, finishedAt: started)
        do {
            let clock = ContinuousClock()
            let loading = clock.now
            let model = try models.model(step.model)
            // Loading a local model (or waiting while another unit loads it) is not the call's time.
            let load = clock.now - loading
            if load >= .milliseconds(1) { row.extraJSON = Engine.extraJSON(row.extraJSON, adding: ["load_ms": .int(load.milliseconds)]) }
            row.model = model.identity
            let prompt: StepPrompt
            if case .ragQuery(let action) = step.action {
                let found = try retrieve(action, key: key, context: context, state)
                row.extraJSON = found.auditJSON
                prompt = try StepPrompt.rag(action, found, context: context, workflow: workflow)
            } else {
                prompt = try StepPrompt.make(step.action, context: context, workflow: workflow)
            }
            // After rag_query's retrieval record, which replaces the extra JSON.
            if let details = model.auditDetails { row.extraJSON = Engine.extraJSON(row.extraJSON, adding: details) }
            row.parametersJSON = parametersJSON(step, format: prompt.responseFormat)
            return .success(ModelCall(model: model, prompt: prompt, base: row))
        } catch {
            row.error = SystemErrorText.message(for: error)
            row.finishedAt = Date()
            return .failure(FailedRecord(row: row))
        }
    }

    /// The short reason a failed call is tried again, for the progress line.
    static func retryReason(_ error: ModelError) -> String {
        switch error.kind {
        case .server(let status): return "HTTP \(status)"
        case .rateLimited: return "HTTP 429, rate limited"
        case .timeout: return "timed out"
        case .connection: return "connection failed"
        case .invalidResponse: return "the server's answer was not a chat completion"
        default: return error.kindName
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
        if let think = sampling.think { parameters["think"] = .bool(think) }
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

import Base
import Foundation
import Providers
import Audit
import Template
import Workflow

extension Engine {
    /// `template`, `read` and `write`: work without a model, done in one attempt.
    func runLocalUnit(_ step: Step, key: StepKey, context: [String: Value], _ state: RunState) async -> FinalAttempt {
        let started = Date()
        let clock = ContinuousClock()
        let begin = clock.now
        observer(.attemptStarted(key, attempt: 1, reason: nil))
        var row = StepAttemptRecord(runID: state.runID, stepID: step.id, iteration: key.iteration, attempt: 1, kind: step.kind.rawValue,
                                    status: .failed, startedAt: started, finishedAt: started)
        var output: Value?
        do {
            switch step.action {
            case .template(let action):
                let text = try action.template.render(context)
                row.outputText = text
                output = .string(text)
            case .read(let action):
                let value: Value
                switch action.source {
                case .path(let field):
                    let path = try field.render(context)
                    row.prompt = "read \(path)"
                    value = try StepFileReader.read(path: path, format: action.format, in: workflow.directory)
                case .glob(let field):
                    let pattern = try field.render(context)
                    row.prompt = "read \(pattern)"
                    value = try StepFileReader.read(glob: pattern, format: action.format, in: workflow.directory)
                }
                row.outputJSON = value.jsonString()
                output = value
            case .write(let action):
                let path = try action.path.render(context)
                let content = try action.content.render(context)
                row.prompt = "write \(path)"
                try writeFile(path, content, step: step.id, state)
                row.outputText = path
                output = .string(path)
            case .ragQuery(let action):
                output = try runRAGSearch(action, key: key, context: context, row: &row, state)
            case .generate, .summarize, .translate, .extract, .review:
                throw ModelError(.configuration, "internal: a model step reached the local runner")
            }
            row.status = .succeeded
        } catch let diagnostic as Diagnostic {
            row.error = workflow.attachingSource(to: diagnostic).description
        } catch {
            row.error = SystemErrorText.message(for: error)
        }
        row.finishedAt = Date()
        row.latencyMs = (clock.now - begin).milliseconds
        return FinalAttempt(row: row, output: output, status: row.status == .succeeded ? .succeeded : .failed)
    }
}

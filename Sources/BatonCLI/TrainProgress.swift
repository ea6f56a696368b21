import CommandKit
import Foundation
import Training

/// How `baton train lora` reports a run: a line per step on stderr (step, loss, learning rate,
/// tokens/s, ETA) and the validation loss per epoch, or with `--json` one JSON object a line on
/// stdout for machines (`event`: `step`, `validation`, `checkpoint`, `done`).
struct TrainProgress {
    var json: Bool

    func report(_ event: TrainingLoop.Event) {
        switch event {
        case .step(let s):
            if json {
                printOut("{\"event\":\"step\",\"epoch\":\(s.epoch),\"step\":\(s.step),\"total_steps\":\(s.totalSteps),\"loss\":\(JSONText.number(s.loss)),"
                    + "\"learning_rate\":\(JSONText.number(s.learningRate)),\"tokens\":\(s.tokens),\"tokens_per_second\":\(JSONText.number(s.tokensPerSecond.rounded())),"
                    + "\"eta_seconds\":\(JSONText.number(s.eta.rounded()))}")
            } else {
                printError(String(format: "epoch %d step %d/%d  loss %.4f  lr %.2e  %.0f tok/s  ETA ", s.epoch, s.step, s.totalSteps, s.loss,
                                  Double(s.learningRate), s.tokensPerSecond) + s.etaText)
            }
        case .validation(let epoch, let loss):
            if json {
                printOut("{\"event\":\"validation\",\"epoch\":\(epoch),\"loss\":\(JSONText.number(loss))}")
            } else {
                printError(String(format: "epoch %d  validation loss %.4f", epoch, loss))
            }
        case .checkpoint(let path, let step):
            if json {
                printOut("{\"event\":\"checkpoint\",\"path\":\(JSONText.quoted(path)),\"step\":\(step)}")
            } else {
                printError("checkpoint \(path) (step \(step))")
            }
        }
    }
}

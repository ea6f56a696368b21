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
                                  Double(s.learningRate), s.tokensPerSecond) + Self.clock(s.eta))
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

    /// `0:42`, `12:05`, `1:02:09`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded()), h = total / 3600, m = total / 60 % 60, s = total % 60
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%d:%02d", m, s)
    }
}

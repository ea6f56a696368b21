import Foundation
import Testing
import Runtime
import Training

/// The mean cross-entropy of the runtime's logits over an example's target (assistant) tokens:
/// the number the trainer's own loss must equal, computed independently of the trainer's
/// forward pass (double-precision log-sum-exp over each logits row).
func runtimeLoss(of model: TransformerModel, on example: TrainingExample) throws -> Double {
    let logits = try model.forwardAllLogits(example.tokens)
    let vocabulary = model.configuration.vocabularySize
    var expected = 0.0
    for t in 0..<example.tokens.count - 1 where example.mask[t + 1] {
        let row = logits[t * vocabulary..<(t + 1) * vocabulary]
        let maximum = try #require(row.max())
        let sum = row.reduce(0.0) { $0 + Double(expf($1 - maximum)) }
        expected += log(sum) + Double(maximum) - Double(row[row.startIndex + example.tokens[t + 1]])
    }
    return expected / Double(example.targetCount)
}

import Foundation
import Testing
import Runtime
@testable import Training

/// LoRA dropout: the masks are fixed by the seed and the step, so the loss with dropout is a
/// function of A and B whose finite differences the analytic gradients must match; validation
/// never drops anything.
@Suite struct DropoutTests {
    @Test func dropoutGradientsMatchFiniteDifferencesOfTheMaskedLoss() throws {
        let reference = try TorchReference("llama-f32")
        let trainer = try reference.trainer()
        let plain = try trainer.loss(of: reference.batch)
        trainer.dropout = 0.3
        let (loss, gradients) = try trainer.gradients(of: reference.batch)
        #expect(try trainer.gradients(of: reference.batch).loss == loss)  // the same masks again
        #expect(loss != plain)
        #expect(try trainer.loss(of: reference.batch) == plain)           // validation: no dropout

        var checked = 0
        for (index, g) in gradients.matrices.enumerated() where index % 3 == 0 {
            let p = trainer.parameters.matrices[index]
            for (values, grads) in [(p.a, g.a), (p.b, g.b)] {
                let i = (0..<grads.count).max { abs(grads.pointer[$0]) < abs(grads.pointer[$1]) } ?? 0
                let analytic = Double(grads.pointer[i])
                guard abs(analytic) > 1e-4 else { continue }
                let h: Float = 1e-2, original = values.pointer[i]
                values.pointer[i] = original + h
                let plus = try trainer.gradients(of: reference.batch).loss
                values.pointer[i] = original - h
                let minus = try trainer.gradients(of: reference.batch).loss
                values.pointer[i] = original
                let numeric = (plus - minus) / Double(2 * h)
                #expect(abs(numeric - analytic) / abs(analytic) < 0.02, "\(p.tensor)[\(i)]: numeric \(numeric), analytic \(analytic)")
                checked += 1
            }
        }
        #expect(checked >= 6)
    }
}

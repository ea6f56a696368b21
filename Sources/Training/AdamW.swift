import Foundation

/// AdamW with decoupled weight decay, as `torch.optim.AdamW` computes it (decay first, then the
/// bias-corrected step), plus global-norm gradient clipping as `clip_grad_norm_`.
public struct AdamWSettings: Sendable, Equatable {
    public var learningRate: Float = 2e-4
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.01
    /// The largest global L2 norm of the gradients; larger ones are scaled down to it.
    public var clip: Float? = 1.0

    public init(learningRate: Float = 2e-4, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01, clip: Float? = 1.0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.clip = clip
    }
}

/// The optimizer state: first and second moments shaped like the parameters, and the step count.
final class AdamW {
    let settings: AdamWSettings
    let first: LoRAParameters, second: LoRAParameters
    /// Steps taken, for the bias correction; restored from a checkpoint on `--resume`.
    var steps = 0

    init(settings: AdamWSettings, parameters: LoRAParameters) {
        self.settings = settings
        first = parameters.zeros()
        second = parameters.zeros()
    }

    /// Clips `gradients` (in place) and updates `parameters` with `learningRate` (a schedule's
    /// value; the settings' by default); returns the norm before clipping. A non-finite norm
    /// (an overflowed gradient) changes nothing and is returned for the caller to stop on.
    @discardableResult
    func step(_ parameters: LoRAParameters, gradients: LoRAParameters, learningRate: Float? = nil) -> Double {
        let norm = gradients.squaredNorm.squareRoot()
        guard norm.isFinite else { return norm }
        if let clip = settings.clip {
            let coefficient = Double(clip) / (norm + 1e-6)
            if coefficient < 1 { gradients.scale(by: Float(coefficient)) }
        }
        steps += 1
        var s = settings
        if let learningRate { s.learningRate = learningRate }
        let correction1 = 1 - pow(Double(s.beta1), Double(steps)), correction2 = 1 - pow(Double(s.beta2), Double(steps))
        let stepSize = Float(Double(s.learningRate) / correction1), root2 = Float(correction2.squareRoot())
        for (index, m) in parameters.matrices.enumerated() {
            let g = gradients.matrices[index], m1 = first.matrices[index], m2 = second.matrices[index]
            for (p, d, a, b) in [(m.a, g.a, m1.a, m2.a), (m.b, g.b, m1.b, m2.b)] {
                for i in 0..<p.count {
                    p.pointer[i] *= 1 - s.learningRate * s.weightDecay
                    a.pointer[i] = s.beta1 * a.pointer[i] + (1 - s.beta1) * d.pointer[i]
                    b.pointer[i] = s.beta2 * b.pointer[i] + (1 - s.beta2) * d.pointer[i] * d.pointer[i]
                    let denominator = b.pointer[i].squareRoot() / root2 + s.epsilon
                    p.pointer[i] -= stepSize * a.pointer[i] / denominator
                }
            }
        }
        return norm
    }
}

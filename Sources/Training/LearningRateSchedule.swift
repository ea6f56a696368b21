import Foundation

/// How the learning rate moves over a run, as Hugging Face's schedulers compute it
/// (`get_constant_schedule_with_warmup`, `get_cosine_schedule_with_warmup`): a linear warmup from
/// 0 over the first `warmup` steps, then constant, or a half cosine down to 0 at the last step.
public enum LearningRateSchedule: String, Sendable, CaseIterable {
    case constant, cosine

    /// The rate of optimizer step `step` (0-based) of `total`, for a peak rate of `peak`.
    public func rate(step: Int, total: Int, warmup: Int, peak: Float) -> Float {
        if step < warmup { return peak * Float(step) / Float(max(1, warmup)) }
        switch self {
        case .constant:
            return peak
        case .cosine:
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            return peak * Float(max(0, 0.5 * (1 + cos(Double.pi * progress))))
        }
    }
}

/// The most one run may spend on model calls (`budget:` at the top of a workflow): tokens (in
/// and out together), a cost, or both. The engine stops a run before the call that could go over
/// it (see `Engine`'s budget check), so what was spent never exceeds what was allowed.
///
/// ```yaml
/// budget: { tokens: 20000 }
/// budget: { cost: 0.50, currency: USD }
/// ```
public struct RunBudget: Sendable, Equatable {
    /// Prompt plus completion tokens over every model call of the run.
    public var tokens: Int?
    /// The most the run's calls may cost, priced with the models' `price:` (calls to models
    /// without a price in `currency` count as unknown cost, and a cost budget refuses them).
    public var cost: Double?
    /// The currency of `cost` (default `USD`).
    public var currency: String = "USD"
    /// Where `budget:` is written, for run-time messages.
    public var location: SourceLocation

    /// `tokens 20000`, `cost 0.50 USD`, or both: how messages name the budget.
    public var description: String {
        var parts: [String] = []
        if let tokens { parts.append("\(tokens) tokens") }
        if let cost { parts.append("\(WorkflowDecoder.format(cost)) \(currency)") }
        return parts.joined(separator: " and ")
    }
}

/// What a server model costs, per million tokens read and written (`price:` of a `models:` entry,
/// and `prices:` of a server in `~/.baton/config.yaml`).
///
/// ```yaml
/// models:
///   remote: { base_url: "https://api.openai.com/v1", model: gpt-4o-mini,
///             price: { input: 0.15, output: 0.60, currency: USD } }
/// ```
public struct ModelPrice: Sendable, Equatable {
    /// Per million prompt tokens.
    public var input: Double
    /// Per million completion tokens.
    public var output: Double
    /// An ISO 4217 code as written (`USD`, `KRW`); costs in different currencies are never added.
    public var currency: String

    public init(input: Double, output: Double, currency: String = "USD") {
        self.input = input
        self.output = output
        self.currency = currency
    }

    /// The cost of `tokensIn` prompt and `tokensOut` completion tokens.
    public func cost(tokensIn: Int, tokensOut: Int) -> Double {
        Double(tokensIn) * input / 1e6 + Double(tokensOut) * output / 1e6
    }
}

import Base
import Synchronization
import Workflow

/// What a run has spent against its `budget:`, and the check made before every model request.
///
/// Before a request is sent, its most possible use is reserved: the prompt counted as one token
/// per UTF-8 byte of every message plus `messageOverhead` per message (a byte-level BPE token
/// holds at least one byte, and the overhead covers the chat template's role markers), plus the
/// step's `max_tokens` for the answer. When spent plus reserved plus this call could pass the
/// budget, the call is refused and the run stops before it: no step or item starts after that,
/// finished ones are kept, and `baton resume` continues in a new run with the workflow's budget
/// (the finished items are reused and cost nothing). After the answer, the reservation is
/// replaced by what the model reported. A step without `max_tokens` reserves nothing for its
/// answer, so only its prompt is bounded: set `max_tokens` where the budget must hold exactly.
final class BudgetLedger: Sendable {
    let budget: RunBudget

    /// Tokens per message added to the byte count for the chat template's markers.
    static let messageOverhead = 8

    /// Spent and reserved so far; `refusal` once a call was refused (every later one is too).
    private struct Books {
        var tokens = 0
        var cost = 0.0
        var reservedTokens = 0
        var reservedCost = 0.0
        var refusal: String?
    }
    private let books = Mutex(Books())

    init(_ budget: RunBudget) {
        self.budget = budget
    }

    /// The most a request can use.
    struct Estimate: Sendable, Equatable {
        /// UTF-8 bytes of the messages plus `messageOverhead` per message.
        var promptTokens: Int
        /// The step's `max_tokens`, or 0 when it has none.
        var answerTokens: Int
        var tokens: Int { promptTokens + answerTokens }
        /// At the model's price (nil: the model has none).
        var cost: Double?
    }

    /// The estimate for sending `messages` with `maxTokens` to a model priced `price` (a local
    /// model: a zero price; nil: a server without a price).
    static func estimate(_ messages: [ChatMessage], maxTokens: Int?, price: ModelPrice?) -> Estimate {
        let prompt = messages.reduce(0) { $0 + $1.content.utf8.count + messageOverhead }
        let answer = maxTokens ?? 0
        return Estimate(promptTokens: prompt, answerTokens: answer, cost: price.map { $0.cost(tokensIn: prompt, tokensOut: answer) })
    }

    /// Reserves `estimate` for a request of `model` (its name, for messages), or says why the
    /// request may not be sent.
    func reserve(_ estimate: Estimate, model: String, price: ModelPrice?) -> String? {
        books.withLock { (books) -> String? in
            if let refusal = books.refusal { return refusal }
            var problem: String?
            if let limit = budget.tokens, books.tokens + books.reservedTokens + estimate.tokens > limit {
                let answer = estimate.answerTokens > 0 ? "max_tokens \(estimate.answerTokens)" : "no max_tokens, so the answer is not counted"
                problem = "the next call could use \(estimate.tokens) tokens (prompt at most \(estimate.promptTokens), one per UTF-8 byte; \(answer)), "
                    + "but the run has spent \(books.tokens)\(books.reservedTokens > 0 ? " (and \(books.reservedTokens) are in flight)" : "") of its \(limit)-token budget"
            } else if let limit = budget.cost {
                if let price, !price.currency.isEmpty, price.currency != budget.currency {
                    problem = "model '\(model)' is priced in \(price.currency), the budget in \(budget.currency)"
                } else if let cost = estimate.cost, price != nil {
                    if books.cost + books.reservedCost + cost > limit {
                        problem = "the next call could cost \(Self.money(cost)) \(budget.currency), but the run has spent \(Self.money(books.cost)) of its \(Self.money(limit)) \(budget.currency) budget"
                    }
                } else {
                    problem = "model '\(model)' has no price, so a cost budget cannot bound it (give it 'price:' in models:)"
                }
            }
            if let problem {
                let location = budget.location
                let text = "budget exceeded: \(problem) (budget: at \(location.file):\(location.line):\(location.column)); "
                    + "the run stops here, finished work is kept: 'baton resume RUN' continues it in a new run with the same budget"
                books.refusal = text
                return text
            }
            books.reservedTokens += estimate.tokens
            books.reservedCost += estimate.cost ?? 0
            return nil
        }
    }

    /// Replaces a reservation with what the call used (the model's figures, nil when it gave
    /// none: a failed request is counted as nothing sent back).
    func settle(_ estimate: Estimate, tokensIn: Int?, tokensOut: Int?, price: ModelPrice?) {
        books.withLock { books in
            books.reservedTokens -= estimate.tokens
            books.reservedCost -= estimate.cost ?? 0
            let used = (tokensIn ?? 0) + (tokensOut ?? 0)
            books.tokens += used
            books.cost += price?.cost(tokensIn: tokensIn ?? 0, tokensOut: tokensOut ?? 0) ?? 0
        }
    }

    /// Spent so far: tokens, and cost at the models' prices.
    var spent: (tokens: Int, cost: Double) { books.withLock { ($0.tokens, $0.cost) } }

    /// An amount with up to six decimals, trailing zeros dropped.
    static func money(_ amount: Double) -> String {
        var text = String(format: "%.6f", amount)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

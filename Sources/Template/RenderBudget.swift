/// What one render may spend: a template is code a user (or a workflow author) wrote, and no
/// template, however written, may exhaust the process's memory or run forever.
///
/// Every size a template requests (`'a' * n`, `[x] * n`, `center(n)`, `indent(n)`, a format width
/// or precision, `range(n)`, `replace('', s)`) is checked against these limits *before* anything is
/// allocated; loops and macro calls count steps; the clock is read every few hundred steps. The
/// defaults are far above any real prompt (a prompt is kilobytes; the output limit is 16 MiB).
/// A workflow sets its own under `defaults: render_budget:`.
public struct RenderBudget: Sendable, Equatable {
    /// The most UTF-8 bytes in the output, and in any one string the template builds.
    public var outputBytes: Int
    /// The most items in any one list the template builds (`range`, `*`, `+`, `batch`, ...).
    public var items: Int
    /// The most loop iterations and macro calls, all loops of the render together.
    public var steps: Int
    /// The most wall-clock time one render may take, in seconds.
    public var seconds: Double

    public init(outputBytes: Int = 16 << 20, items: Int = 1_000_000, steps: Int = 10_000_000, seconds: Double = 30) {
        self.outputBytes = outputBytes
        self.items = items
        self.steps = steps
        self.seconds = seconds
    }

    /// The defaults: generous enough for every real prompt.
    public static let standard = RenderBudget()

    /// All the strings and lists a render builds, together, may be this many times the one-value
    /// limits: a loop that keeps building large strings is stopped even if none of them alone is
    /// too large.
    static let builtFactor = 32

    /// The budget every render without an explicit one uses: the current task's (set by the
    /// engine for a workflow's `defaults: render_budget:`), else `standard`.
    ///
    /// A task-local, not a parameter, because one setting applies to every template a run renders
    /// (prompts, file names, recipes) and those are rendered in many places.
    @TaskLocal public static var current: RenderBudget = .standard
}

/// Counts what a render spends against its budget. A class so that the copies of the renderer a
/// macro call makes share one count.
final class RenderMeter {
    let budget: RenderBudget
    private(set) var steps = 0
    private var builtBytes = 0
    private var builtItems = 0
    /// Output already held by enclosing captures (`{% set %}` blocks, macro calls) while an inner
    /// one renders: their sum with the current buffer is what the render holds.
    var heldBytes = 0
    private let clock = ContinuousClock()
    /// Values at least this large are worth a clock read before they are built.
    static let largeBytes = 1 << 16
    private let deadline: ContinuousClock.Instant

    init(budget: RenderBudget) {
        self.budget = budget
        let seconds = budget.seconds.isFinite ? Swift.max(0, Swift.min(budget.seconds, 1e9)) : 1e9
        deadline = clock.now.advanced(by: .milliseconds(Int64(seconds * 1000)))
    }

    /// Counts one loop iteration or macro call; the reason when the budget is spent.
    func step() -> String? {
        steps += 1
        if steps > budget.steps {
            return "more than \(budget.steps) loop iterations and macro calls (defaults.render_budget.steps)"
        }
        if steps & 255 == 0 { return overtime() }
        return nil
    }

    /// The reason when the render has run past its time.
    func overtime() -> String? {
        guard clock.now > deadline else { return nil }
        return "rendering took longer than \(RenderBudget.describe(seconds: budget.seconds)) (defaults.render_budget.time)"
    }

    /// Why an output of `bytes` (besides what enclosing captures hold) is too large, if it is.
    func output(_ bytes: Int) -> String? {
        guard bytes > budget.outputBytes || heldBytes > budget.outputBytes - bytes else { return nil }
        return "output larger than \(budget.outputBytes) bytes (defaults.render_budget.output_bytes)"
    }

    /// Why a string of `bytes` may not be built, if it may not: checked before it is allocated.
    /// A large string also reads the clock first: a few dozen steps that each build megabytes
    /// (`{% set ns.s = ns.s.replace('a', 'aa') %}` in a loop) would otherwise never reach the
    /// every-256-steps check and run far past the time limit (issue 18: 45 s against 30 s).
    func string(_ bytes: Int) -> String? {
        guard bytes > budget.outputBytes else { return bytes >= RenderMeter.largeBytes ? overtime() : nil }
        return "a string of \(bytes) bytes is larger than the render budget allows (\(budget.outputBytes) bytes, defaults.render_budget.output_bytes)"
    }

    /// Why a list of `count` items may not be built, if it may not: checked before it is allocated.
    func list(_ count: Int) -> String? {
        guard count > budget.items else { return nil }
        return "a list of \(count) items is larger than the render budget allows (\(budget.items) items)"
    }

    /// Counts a value a filter, operator or call built; the reason when the render has built too much.
    func built(_ value: Value) -> String? {
        switch value {
        case .string(let s):
            let bytes = s.utf8.count
            if let reason = string(bytes) { return reason }
            builtBytes += bytes
            if builtBytes > budget.outputBytes.multipliedReportingOverflow(by: RenderBudget.builtFactor).partialValue {
                return "the template built more than \(RenderBudget.builtFactor) times the output budget in strings (defaults.render_budget.output_bytes)"
            }
        case .list(let items):
            if let reason = list(items.count) { return reason }
            builtItems += items.count
            if builtItems > budget.items.multipliedReportingOverflow(by: RenderBudget.builtFactor).partialValue {
                return "the template built more than \(RenderBudget.builtFactor) times the item budget in lists"
            }
        default:
            break
        }
        return nil
    }
}

extension RenderBudget {
    /// `30s`, `1.5s`: how a message names a time limit.
    static func describe(seconds: Double) -> String {
        if seconds.isFinite, seconds == seconds.rounded(), Swift.abs(seconds) < 1e15 { return "\(Int(seconds))s" }
        return "\(seconds)s"
    }
}

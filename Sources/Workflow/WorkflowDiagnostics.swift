/// Every problem found in one workflow (or one set of inputs), sorted by position.
///
/// The loader never stops at the first problem: like a compiler it reports all of them, so an
/// author fixes a file in one pass.
public struct WorkflowDiagnostics: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, sorted by file, line and column (problems without a location come first).
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = WorkflowDiagnostics.sorted(diagnostics)
    }

    /// Each diagnostic with its source line and caret, one after the other.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }

    /// `N errors` / `1 error`, for summaries.
    public var summary: String {
        diagnostics.count == 1 ? "1 error" : "\(diagnostics.count) errors"
    }

    /// Sorted by position, duplicates (same place, same message) removed.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x == y ? a.offset < b.offset : x < y
            }
        }.map(\.element)
    }
}

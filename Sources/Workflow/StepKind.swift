/// The kinds of step, as written after `kind:`.
public enum StepKind: String, Sendable, Equatable, CaseIterable {
    case generate
    case summarize
    case translate
    case extract
    case ragQuery = "rag_query"
    case template
    case read
    case write
    case review
}

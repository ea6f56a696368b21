import CommandKit
import Workflow

/// `baton graph FILE`: the step DAG as Mermaid (default) or Graphviz DOT.
struct GraphCommand: TableCommand {
    static let abstract = "Print a workflow's step graph as Mermaid or Graphviz DOT."
    static let options = OptionTable("baton graph", [
        .positional("FILE"),
        .option("format", value: "mermaid|dot", help: "mermaid (default) or dot."),
    ])
    static let discussion = """
        Prints the dependency graph of the workflow's steps: one node per step (its id and kind,
        with 'for each' and 'when' marked), an edge from each step to the steps that need it. Edges
        that come only from an explicit 'needs:' are dashed. Paste Mermaid into a Markdown file or
        https://mermaid.live; pipe DOT into `dot -Tsvg`.
        """
    static let epilogue = "EXIT STATUS: 0 on success, 1 when the workflow has problems, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1, let file = parsed.positionals.first else {
            throw UsageError(message: "'baton graph' needs exactly one workflow FILE", usage: usage)
        }
        let format = parsed.value("format") ?? "mermaid"
        guard format == "mermaid" || format == "dot" else {
            throw UsageError(message: "unknown format '\(format)' (expected mermaid or dot)", usage: usage)
        }
        do {
            let workflow = try WorkflowLoader.load(path: file)
            printOut(format == "dot" ? dot(workflow) : mermaid(workflow), terminator: "")
            return 0
        } catch {
            printError(error.description)
            return 1
        }
    }

    /// The node label: `id`, then the kind with its marks (`translate · for each · when`).
    static func label(_ step: Step) -> (title: String, detail: String) {
        var detail = [step.kind.rawValue]
        if step.forEach != nil { detail.append("for each") }
        if step.when != nil { detail.append("when") }
        return (step.id, detail.joined(separator: " · "))
    }

    /// Edges in run order: (from, to, whether only an explicit `needs:` makes it).
    static func edges(_ workflow: Workflow) -> [(from: String, to: String, explicitOnly: Bool)] {
        workflow.topologicalOrder.flatMap { step in
            let referenced = Set(step.references.compactMap(\.stepID))
            return step.needs.map { (from: $0, to: step.id, explicitOnly: !referenced.contains($0)) }
        }
    }

    static func mermaid(_ workflow: Workflow) -> String {
        var out = "flowchart TD\n"
        for step in workflow.topologicalOrder {
            let (title, detail) = label(step)
            // Node ids get a prefix: Mermaid reserves words such as `end`.
            out += "  step_\(step.id)[\"\(escapeMermaid(title))<br/><small>\(escapeMermaid(detail))</small>\"]\n"
        }
        for edge in edges(workflow) {
            out += "  step_\(edge.from) \(edge.explicitOnly ? "-.->" : "-->") step_\(edge.to)\n"
        }
        return out
    }

    static func dot(_ workflow: Workflow) -> String {
        var out = "digraph \(quoteDOT(workflow.name)) {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
        for step in workflow.topologicalOrder {
            let (title, detail) = label(step)
            out += "  \(quoteDOT(step.id)) [label=\(quoteDOT(title + "\n" + detail))];\n"
        }
        for edge in edges(workflow) {
            out += "  \(quoteDOT(edge.from)) -> \(quoteDOT(edge.to))\(edge.explicitOnly ? " [style=dashed]" : "");\n"
        }
        return out + "}\n"
    }

    static func escapeMermaid(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
    }

    static func quoteDOT(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

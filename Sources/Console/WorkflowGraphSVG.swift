import Workflow

/// The step DAG drawn as SVG by Baton itself (no script, no external resource): one row per
/// dependency level, a box per step with its id and kind, a line from each step to each step
/// that needs it.
enum WorkflowGraphSVG {
    static func render(_ workflow: Workflow) -> String {
        let order = workflow.topologicalOrder
        var level: [String: Int] = [:]
        for step in order { level[step.id] = (step.needs.compactMap { level[$0] }.max() ?? -1) + 1 }
        var column: [String: Int] = [:]
        var perLevel: [Int: Int] = [:]
        for step in order {
            let row = level[step.id] ?? 0
            column[step.id] = perLevel[row, default: 0]
            perLevel[row, default: 0] += 1
        }
        let width = 190, height = 46, gapX = 30, gapY = 40
        func x(_ id: String) -> Int { 10 + (column[id] ?? 0) * (width + gapX) }
        func y(_ id: String) -> Int { 10 + (level[id] ?? 0) * (height + gapY) }
        let totalWidth = 20 + max(1, perLevel.values.max() ?? 1) * (width + gapX)
        let totalHeight = 20 + max(1, (level.values.max() ?? 0) + 1) * (height + gapY)
        var out = "<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(totalWidth)\" height=\"\(totalHeight)\" role=\"img\" aria-label=\"\(HTML.escape(workflow.name))\">"
        for step in order {
            for need in step.needs where level[need] != nil {
                out += "<line x1=\"\(x(need) + width / 2)\" y1=\"\(y(need) + height)\" x2=\"\(x(step.id) + width / 2)\" y2=\"\(y(step.id))\" stroke=\"#7b8794\" stroke-width=\"1.5\"/>"
            }
        }
        for step in order {
            let fill = step.kind == .review ? "#fff4e5" : "#eef2f7"
            out += "<g><rect x=\"\(x(step.id))\" y=\"\(y(step.id))\" width=\"\(width)\" height=\"\(height)\" rx=\"8\" fill=\"\(fill)\" stroke=\"#243b53\"/>"
            out += "<text x=\"\(x(step.id) + width / 2)\" y=\"\(y(step.id) + 20)\" text-anchor=\"middle\" font-size=\"14\">\(HTML.escape(step.id))</text>"
            let extra = (step.forEach != nil ? " · for each" : "") + (step.when != nil ? " · when" : "")
            out += "<text x=\"\(x(step.id) + width / 2)\" y=\"\(y(step.id) + 37)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#52606d\">\(HTML.escape(step.kind.rawValue + extra))</text></g>"
        }
        return out + "</svg>"
    }
}

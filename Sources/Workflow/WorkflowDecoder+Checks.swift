import Template
import Base
import YAML

/// Checks that need the whole workflow: every reference resolves, `needs` names steps, and the
/// dependency graph has no cycle.
extension WorkflowDecoder {
    /// Fields every step result has (`status`: done, skipped or failed); `rag_query` adds `documents`.
    static let stepResultFields = ["output", "status"]
    static let runFields = ["id", "workflow", "date", "started_at", "trigger", "scheduled_at"]

    mutating func check(_ workflow: inout Workflow, declaredSteps: [(id: String, mark: Mark)]) {
        let declared = StepIndex(declared: declaredSteps.map(\.id), steps: workflow.steps)
        for index in workflow.steps.indices {
            let id = workflow.steps[index].id
            var needs = workflow.steps[index].explicitNeeds.filter { declared.ids.contains($0) }
            for reference in workflow.steps[index].references {
                checkReference(reference, owner: "step '\(id)'", in: workflow, declared: declared)
                if let needed = reference.stepID, declared.ids.contains(needed), !needs.contains(needed) { needs.append(needed) }
            }
            workflow.steps[index].needs = needs
        }
        for output in workflow.outputs.values {
            for reference in output.value.references { checkReference(reference, owner: "output '\(output.name)'", in: workflow, declared: declared) }
        }
        for file in workflow.outputs.files {
            for reference in file.path.references + file.content.references {
                checkReference(reference, owner: "outputs", in: workflow, declared: declared)
            }
        }
        for (owner, reference) in orphanReferences {
            checkReference(reference, owner: owner, in: workflow, declared: declared)
        }
        checkCycles(workflow)
        checkReviewTargets(workflow)
    }

    private mutating func checkReference(_ reference: WorkflowReference, owner: String, in workflow: Workflow, declared: StepIndex) {
        let path = reference.path
        switch reference.target {
        case .input(let name):
            if !inputNames.contains(name) {
                error("\(owner) reads unknown input '\(name)'\(Suggestion.hint(for: name, in: inputNames.sorted()))", at: reference.location)
            }
        case .step(let id):
            guard declared.ids.contains(id) else {
                error("\(owner) reads unknown step '\(id)'\(Suggestion.hint(for: id, in: declared.order))", at: reference.location)
                return
            }
            guard path.count >= 3, let step = declared.info[id] else { return }
            var fields = WorkflowDecoder.stepResultFields
            if step.kind == .ragQuery { fields.append("documents") }
            guard fields.contains(path[2]) else {
                error("\(owner) reads unknown field '\(path[2])' of step '\(id)' (it has \(fields.joined(separator: ", ")))\(Suggestion.hint(for: path[2], in: fields))", at: reference.location)
                return
            }
            if path[2] == "output", path.count >= 4, !step.forEach, let schema = step.schema, case .object = schema,
               !schema.fieldNames.contains(path[3]) {
                let names = schema.fieldNames
                error("\(owner) reads unknown field '\(path[3])' of the output of step '\(id)' (its schema has \(names.joined(separator: ", ")))\(Suggestion.hint(for: path[3], in: names))", at: reference.location)
            }
        case .model(let name):
            if workflow.model(name) == nil {
                error("\(owner) reads unknown model '\(name)'\(Suggestion.hint(for: name, in: workflow.models.map(\.name)))", at: reference.location)
            }
        case .knowledge(let name):
            if workflow.knowledgeBase(name) == nil {
                error("\(owner) reads unknown knowledge base '\(name)'\(Suggestion.hint(for: name, in: workflow.knowledge.map(\.name)))", at: reference.location)
            }
        case .local("run"):
            if path.count >= 2, !WorkflowDecoder.runFields.contains(path[1]) {
                error("\(owner) reads unknown field '\(path[1])' of run (it has \(WorkflowDecoder.runFields.joined(separator: ", ")))\(Suggestion.hint(for: path[1], in: WorkflowDecoder.runFields))", at: reference.location)
            }
        case .local:
            break
        }
    }

    /// Step ids for quick lookups: a 500-step workflow has thousands of references.
    struct StepIndex {
        /// What a reference check needs to know of a decoded step (copying whole steps is costly).
        struct Info {
            var kind: StepKind
            var forEach: Bool
            var schema: JSONShape?
        }

        var order: [String]
        var ids: Set<String>
        var info: [String: Info] = [:]

        init(declared: [String], steps: [Step]) {
            order = declared
            ids = Set(declared)
            for step in steps where info[step.id] == nil {
                var schema: JSONShape?
                if case .extract(let action) = step.action { schema = action.schema }
                info[step.id] = Info(kind: step.kind, forEach: step.forEach != nil, schema: schema)
            }
        }
    }

    /// Reports each dependency cycle once, as `a -> b -> a`, at the first step of the cycle.
    private mutating func checkCycles(_ workflow: Workflow) {
        let needsByID = Dictionary(workflow.steps.map { ($0.id, $0.needs) }, uniquingKeysWith: { first, _ in first })
        let locations = Dictionary(workflow.steps.map { ($0.id, $0.location) }, uniquingKeysWith: { first, _ in first })
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        var reported = Set<Set<String>>()
        var cycles: [[String]] = []

        func visit(_ id: String) {
            state[id] = 1
            path.append(id)
            for next in needsByID[id] ?? [] where needsByID[next] != nil {
                if state[next] == 1, let start = path.firstIndex(of: next) {
                    let cycle = Array(path[start...])
                    if reported.insert(Set(cycle)).inserted { cycles.append(cycle) }
                } else if state[next] == nil {
                    visit(next)
                }
            }
            path.removeLast()
            state[id] = 2
        }
        for step in workflow.steps where state[step.id] == nil { visit(step.id) }

        for cycle in cycles {
            // Start the cycle at the step declared first, in the direction "x needs y".
            let order = workflow.steps.map(\.id)
            let first = cycle.min { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) } ?? cycle[0]
            let start = cycle.firstIndex(of: first) ?? 0
            let rotated = Array(cycle[start...] + cycle[..<start])
            let text = (rotated + [rotated[0]]).joined(separator: " -> ")
            if let location = locations[first] {
                error("dependency cycle: \(text) (each step needs the next)", at: location)
            }
        }
    }
}

import Testing
@testable import Workflow

/// `kind: review` decoding: the model, and each mistake reported at its line and column.
@Suite struct ReviewStepTests {
    static func load(_ steps: String) throws(WorkflowDiagnostics) -> Workflow {
        try WorkflowLoader.load(source: "baton: 1\nname: r\nsteps:\n" + steps, file: "r.yaml")
    }

    @Test func decodesEveryKey() throws {
        let workflow = try Self.load("""
              - { id: draft, kind: template, template: "초안 {{ review.note }}" }
              - id: approval
                kind: review
                show: "{{ steps.draft.output }}"
                reviewers: [김지은]
                actions: [approve, reject]
                on_reject: { redo: draft }
                max_rounds: 2
                timeout: 48h
                on_timeout: reject
            """)
        let step = try #require(workflow.steps.last)
        guard case .review(let action) = step.action else { Issue.record("not a review: \(step.action)"); return }
        #expect(action.reviewers == ["김지은"])
        #expect(action.actions == [.approve, .reject])
        #expect(action.redoStep == "draft")
        #expect(action.timeout == .seconds(48 * 3600))
        #expect(action.onTimeout == .reject)
        #expect(step.timeout == nil)
        #expect(step.needs == ["draft"])
        #expect(workflow.redoTargets == ["draft"])
    }

    @Test(arguments: [
        ("  - { id: a, kind: review }\n", "r.yaml:4:5: error: step 'a' is missing required key 'show' (the text the reviewer reads)"),
        ("  - { id: a, kind: template, template: x }\n  - { id: b, kind: review, show: x, on_reject: { redo: nope } }\n",
         "r.yaml:5:56: error: step 'b' redoes unknown step 'nope'"),
        ("  - { id: a, kind: template, template: x }\n  - { id: b, kind: review, show: \"{{ steps.a.output }}\" }\n  - { id: c, kind: review, show: x, on_reject: { redo: a } }\n",
         "r.yaml:6:56: error: step 'c' redoes 'a', which it does not depend on (a review can only send back work it reads)"),
        ("  - { id: a, kind: review, show: x, on_timeout: approve }\n", "r.yaml:4:49: error: step 'a': 'on_timeout' needs a 'timeout'"),
        ("  - { id: a, kind: review, show: x, actions: [reject] }\n", "r.yaml:4:46: error: step 'a': 'actions' must allow approve or edit, or the run could never go on"),
        ("  - { id: a, kind: review, show: x, max_rounds: 2 }\n", "r.yaml:4:49: error: step 'a': 'max_rounds' only applies with on_reject: { redo: STEP_ID }"),
        ("  - { id: a, kind: template, template: \"{{ review.note }}\" }\n", "r.yaml:4:44: error: step 'a' reads unknown name 'review'"),
    ])
    func reportsMistakesAtTheirPlace(_ steps: String, _ expected: String) {
        #expect(throws: WorkflowDiagnostics.self) { try Self.load(steps) }
        do {
            _ = try Self.load(steps)
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}

import Foundation
import Testing
import Template
@testable import Workflow

private let inputsWorkflow = try! WorkflowLoader.load(source: """
    baton: 1
    name: inputs
    inputs:
      product:  { type: string }
      tone:     { type: enum, values: [friendly, formal, playful], default: friendly }
      count:    { type: integer, default: 3 }
      ratio:    { type: number, required: false }
      urgent:   { type: boolean, default: false }
      channels: { type: list, items: string, default: [instagram] }
      sizes:    { type: list, items: integer, required: false }
      brief:    { type: file, required: false }
    steps:
      - { id: a, kind: template, template: "{{ inputs.product }}" }
    """, file: "inputs.yaml")

private func assign(_ pairs: String...) -> [InputBinding.Assignment] {
    pairs.compactMap(InputBinding.Assignment.init(parsing:))
}

@Test func commandLineStringsBecomeTypedValues() throws {
    let files = ["brief.md": "# 브리프\n봄꽃 축제"]
    let values = try InputBinding.resolve(
        inputsWorkflow,
        assignments: assign("product=봄꽃 축제", "count=5", "ratio=0.25", "urgent=yes", "channels=instagram, youtube", "sizes=[1, 2]", "brief=brief.md"),
        readFile: { path in
            guard let text = files[path] else { throw Diagnostic(location: nil, message: "no such file") }
            return text
        })
    #expect(values == [
        "product": "봄꽃 축제", "tone": "friendly", "count": 5, "ratio": 0.25, "urgent": true,
        "channels": ["instagram", "youtube"], "sizes": [1, 2], "brief": "# 브리프\n봄꽃 축제",
    ])
}

@Test func valuesFileAndAtPathsAreRead() throws {
    let values = try InputBinding.resolve(inputsWorkflow, assignments: assign("product=@name.txt"), values: ["count": 7, "tone": "formal"],
                                          readFile: { _ in "한빛시" })
    #expect(values["product"] == "한빛시")
    #expect(values["count"] == 7)
    #expect(values["tone"] == "formal")
    #expect(values["ratio"] == Value.none)
}

@Test func everyInputProblemIsReportedAtOnce() {
    do {
        _ = try InputBinding.resolve(inputsWorkflow, assignments: assign("tone=angry", "count=many", "urgent=maybe", "sizes=1,x", "prodct=x", "brief=missing.md"),
                                     readFile: { _ in throw Diagnostic(location: nil, message: "no such file") })
        Issue.record("bad inputs were accepted")
    } catch {
        #expect(error.description == """
            error: input 'tone' must be one of friendly, formal, playful, found 'angry'
            error: input 'count' must be an integer, found 'many'
            error: input 'urgent' must be true or false, found 'maybe'
            error: input 'sizes' item 2 must be an integer, found 'x'
            error: unknown input 'prodct' (did you mean 'product'?)
            error: missing required input 'product' (string)
            error: cannot read file 'missing.md' for input 'brief': no such file
            """)
    }
}

@Test func assignmentsParse() {
    #expect(InputBinding.Assignment(parsing: "a=b=c") == InputBinding.Assignment(name: "a", text: "b=c"))
    #expect(InputBinding.Assignment(parsing: "brief=@Examples/x.md") == InputBinding.Assignment(name: "brief", text: "Examples/x.md", fromFile: true))
    #expect(InputBinding.Assignment(parsing: "novalue") == nil)
    #expect(InputBinding.Assignment(parsing: "=x") == nil)
}

@Test func secretsAreRedactedForTheAuditStore() throws {
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: s
        inputs:
          key: { type: string, secret: true }
          hint: { type: string, secret: true, required: false }
          product: string
        steps:
          - { id: a, kind: template, template: "{{ inputs.product }}" }
        """, file: "s.yaml")
    let values = try InputBinding.resolve(workflow, values: ["key": "sk-123", "product": "축제"])
    #expect(workflow.redacting(values) == ["key": "***", "hint": Value.none, "product": "축제"])
}

@Test func resolveInputsFromStrings() throws {
    let values = try inputsWorkflow.resolveInputs(["product": "@p.txt", "count": "4"], values: ["tone": "formal"], readFile: { _ in "한빛" })
    #expect(values["product"] == "한빛")
    #expect(values["count"] == 4)
    #expect(values["tone"] == "formal")
}

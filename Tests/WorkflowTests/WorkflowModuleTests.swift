import Testing
@testable import Workflow

@Test func everySampleWorkflowShapeLoads() throws {
    let workflow = try WorkflowLoader.load(source: """
        baton: 1
        name: hello
        steps:
          - { id: greet, kind: template, template: "안녕하세요" }
        """, file: "hello.yaml")
    #expect(workflow.name == "hello")
    #expect(workflow.topologicalOrder.map(\.id) == ["greet"])
}

import Testing
@testable import Workflow

@Test func moduleIsNamed() {
    #expect(WorkflowModule.name == "Workflow")
}

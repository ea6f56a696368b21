import Testing
@testable import Template

@Test func moduleIsNamed() {
    #expect(TemplateModule.name == "Template")
}

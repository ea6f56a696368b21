import Testing
@testable import YAML

@Test func moduleIsNamed() {
    #expect(YAMLModule.name == "YAML")
}

import Testing
@testable import Engine

@Test func moduleIsNamed() {
    #expect(EngineModule.name == "Engine")
}

import Testing
@testable import Retrieval

@Test func moduleIsNamed() {
    #expect(RetrievalModule.name == "Retrieval")
}

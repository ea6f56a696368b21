import Testing
@testable import Audit

@Test func moduleIsNamed() {
    #expect(AuditModule.name == "Audit")
}

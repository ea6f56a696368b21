import Testing
@testable import Cron

@Test func moduleIsNamed() {
    #expect(CronModule.name == "Cron")
}

import Testing
@testable import SQLite

@Test func moduleIsNamed() {
    #expect(SQLiteModule.name == "SQLite")
}

import Foundation
import Testing
import TestSupport

/// Issue 19 item 3 as a user sees it: `baton audit verify` on a store with a zeroed page fails
/// and names the problem in SQLite's words, whether the page held rows or only an index.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs the sqlite3 shell (apt-get install sqlite3)"))
struct StoreDamageCLITests {
    @Test(arguments: ["step_attempts", "runs_by_workflow"])
    func verifyFailsOnAZeroedPageAndNamesIt(zeroing name: String) throws {
        let folder = try TemporaryFolder.make("zeroed")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "baton: 1\nname: z\nsteps:\n  - { id: a, kind: template, template: \"기록\" }\n"
            .write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        for _ in 0..<3 { #expect(try BatonProcess.run(["run", "w.yaml"], environment: ["BATON_DB": ""], directory: folder).status == 0) }
        let store = folder.appendingPathComponent(".baton/baton.db")
        let page = try #require(ChildProcess.run(["sqlite3", store.path, "SELECT rootpage FROM sqlite_master WHERE name = '\(name)'"])
            .flatMap { Int($0.output.trimmingCharacters(in: .whitespacesAndNewlines)) })
        let handle = try FileHandle(forUpdating: store)
        try handle.seek(toOffset: UInt64((page - 1) * 4096))
        handle.write(Data(count: 4096))
        try handle.close()

        let verify = try BatonProcess.run(["audit", "verify"], environment: ["BATON_DB": ""], directory: folder)
        print("audit verify with page \(page) (\(name)) zeroed: exit \(verify.status)\n\(verify.stdout)\(verify.stderr)")
        #expect(verify.status == 1)
        #expect(verify.stdout.hasPrefix("store: SQLite integrity check: "))
        #expect(verify.stdout.contains("store: SQLite integrity check: Page \(page): btreeInitPage() returns error code 11\n"))
        #expect(verify.stderr.hasSuffix("(SQLite's integrity check failed: the file is damaged; restore it from a backup)\n"))
    }
}

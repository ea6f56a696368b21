import Foundation
import Testing
import TestSupport

/// Issue 19 item 10: names and model text reach the terminal with their control characters
/// escaped, so a file name holding a newline cannot forge a `run ... succeeded` line and an
/// output holding `ESC [2J` cannot clear the screen.
@Suite struct TerminalEscapeCLITests {
    @Test func aFileNameWithANewlineCannotForgeALine() throws {
        let folder = try TemporaryFolder.make("escape")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workflow = #"""
            baton: 1
            name: forge
            steps:
              - { id: save, kind: write, path: "ok.txt\nrun 20261207-000000-aaaaaa succeeded", content: "x" }
            outputs:
              note: "{{ '\x1b[2Jcleared\u202e' }}"
            """#
        try workflow.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let run = try BatonProcess.run(["run", "w.yaml"], environment: ["BATON_DB": ""], directory: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = (run.stdout + run.stderr).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("run ") && $0.hasSuffix(" succeeded") }.count == 1)
        #expect(run.stdout.contains(#"wrote out/ok.txt\nrun 20261207-000000-aaaaaa succeeded"#))
        #expect(run.stdout.contains(#"note: \x1B[2Jcleared\u{202E}"#))
        #expect(!(run.stdout + run.stderr).unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
        // The file was written with the name asked for; `show` escapes it the same way.
        let runID = try #require(lines.last?.split(separator: " ").dropFirst().first.map(String.init))
        let shown = try BatonProcess.run(["show", runID], environment: ["BATON_DB": ""], directory: folder)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(#"out/ok.txt\nrun 20261207-000000-aaaaaa succeeded"#))
        #expect(!shown.stdout.split(separator: "\n").contains { $0.hasPrefix("run 20261207-000000-aaaaaa") })
    }
}

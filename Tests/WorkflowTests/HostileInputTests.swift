import Foundation
import Testing
@testable import Workflow

/// Input that must be refused with a diagnostic, quickly, never with a crash or a hang.

@Test func invalidUTF8IsReportedByPosition() {
    let bytes = Data("baton: 1\nname: t\ndescription: \"".utf8) + Data([0xFF, 0xFE]) + Data("\"\n".utf8)
    #expect(throws: WorkflowDiagnostics.self) { try WorkflowLoader.load(bytes: bytes, file: "broken.yaml") }
    do {
        _ = try WorkflowLoader.load(bytes: bytes, file: "broken.yaml")
    } catch {
        #expect(error.description == """
            broken.yaml:3:15: error: invalid UTF-8 at byte offset 31: byte 0xFF cannot start a character
            description: "\u{FFFD}\u{FFFD}"
                          ^
            """)
    }
}

@Test func tenThousandDeepNestingIsRefused() {
    let source = "baton: 1\nname: t\ndescription: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
    do {
        _ = try WorkflowLoader.load(source: source, file: "broken.yaml")
        Issue.record("deep nesting was accepted")
    } catch {
        #expect(error.diagnostics.map(\.headline) == ["broken.yaml:3:525: error: nesting deeper than 512 levels is not supported"])
        // The source line is cut to a window around the column.
        #expect(error.description.split(separator: "\n")[1].hasPrefix("…[[[["))
    }
}

@Test func aliasBombIsRefused() {
    var source = "baton: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"]
    for index in 1..<names.count {
        let anchor = index < names.count - 1 ? "&\(names[index]) " : ""
        source += "\(names[index]): \(anchor)[" + Array(repeating: "*\(names[index - 1])", count: 10).joined(separator: ", ") + "]\n"
    }
    do {
        _ = try WorkflowLoader.load(source: source, file: "broken.yaml")
        Issue.record("alias bomb was accepted")
    } catch {
        #expect(error.description == """
            broken.yaml:7:36: error: alias '*e' expands the document past 1000000 nodes; refusing a possible alias bomb
            f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
                                               ^
            """)
    }
}

@Test func tenMegabyteWorkflowLoads() throws {
    // A 10 MB file of comments and a long description: read and checked, not refused.
    let filler = String(repeating: "# 캠페인 메모: 한빛시 봄꽃 축제 야간 개장 안내 문구 초안을 여기에 적는다.\n", count: 110_000)
    let source = "baton: 1\nname: big\n" + filler + "steps:\n  - { id: a, kind: template, template: \"{{ inputs.x }}\" }\ninputs:\n  x: string\n"
    #expect(source.utf8.count > 10_000_000)
    let workflow = try WorkflowLoader.load(source: source, file: "big.yaml")
    #expect(workflow.steps.map(\.id) == ["a"])
}

@Test func tenMegabyteLineIsReportedWithAWindowedSourceLine() {
    // One 10 MB line with a misspelt key at its end: the diagnostic shows a window around the
    // column, not the whole line.
    let long = String(repeating: "가", count: 3_500_000)
    let source = "baton: 1\nname: big\nsteps: [{ id: a, kind: template, template: x, description: \"\(long)\", tmplate: y }]\n"
    #expect(source.utf8.count > 10_000_000)
    do {
        _ = try WorkflowLoader.load(source: source, file: "big.yaml")
        Issue.record("a misspelt key was accepted")
    } catch {
        #expect(error.diagnostics.map(\.headline) == ["big.yaml:3:3500064: error: unknown key 'tmplate' in step 'a' (did you mean 'template'?)"])
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasSuffix("\", tmplate: y }]"))
        #expect(lines.map(\.count).max() ?? 0 < 400)
    }
}

@Test func missingFileIsAnError() {
    do {
        _ = try WorkflowLoader.load(path: "/nonexistent/flow.yaml")
        Issue.record("a missing file loaded")
    } catch {
        #expect(error.description == "error: cannot read '/nonexistent/flow.yaml': no such file")
    }
}

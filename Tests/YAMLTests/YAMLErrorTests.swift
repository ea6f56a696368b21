import Base
import Testing
@testable import YAML

/// Every bad input of the spec, each with its whole diagnostic.
struct YAMLErrorTests {
    static let cases: [(name: String, bytes: [UInt8], expected: String)] = [
        ("tabs", Array("name: x\nsteps:\n\t- id: a\n".utf8), """
        tabs.yaml:3:1: error: tab character in indentation (YAML indents with spaces only)
        \t- id: a
        ^
        """),
        ("tab-after-spaces", Array("a:\n  b: 1\n  \tc: 2\n".utf8), """
        tab-after-spaces.yaml:3:3: error: tab character in indentation (YAML indents with spaces only)
          \tc: 2
          ^
        """),
        ("unclosed-double", Array("name: 캠페인\nprompt: \"안녕하세요\nnext: 1\n".utf8), """
        unclosed-double.yaml:2:9: error: unclosed quoted string: the quote opened here is never closed (the file ends at 4:1)
        prompt: "안녕하세요
                ^
        """),
        ("unclosed-single", Array("a: 'x\n".utf8), """
        unclosed-single.yaml:1:4: error: unclosed quoted string: the quote opened here is never closed (the file ends at 2:1)
        a: 'x
           ^
        """),
        ("duplicate", Array("name: a\nsteps: []\nname: b\n".utf8), """
        duplicate.yaml:3:1: error: duplicate key 'name' (first defined at 1:1)
        name: b
        ^
        """),
        ("duplicate-korean", Array("단계:\n  제목: 가\n  제목: 나\n".utf8), """
        duplicate-korean.yaml:3:3: error: duplicate key '제목' (first defined at 2:3)
          제목: 나
          ^
        """),
        ("second-document", Array("a: 1\n---\nb: 2\n".utf8), """
        second-document.yaml:2:1: error: a second YAML document in one file is not supported (the first starts at 1:1)
        ---
        ^
        """),
        ("empty", [], "empty.yaml:1:1: error: empty file: expected a YAML document"),
        ("comments-only", Array("# 주석만\n\n".utf8), "comments-only.yaml:1:1: error: empty file: expected a YAML document"),
        ("empty-document", Array("---\n".utf8), """
        empty-document.yaml:1:1: error: empty document: expected a YAML node
        ---
        ^
        """),
        ("invalid-utf8", Array("name: 캠페인\nx: ".utf8) + [0xFF, 0x41, 0x0A], """
        invalid-utf8.yaml:2:4: error: invalid UTF-8 at byte offset 19: byte 0xFF cannot start a character
        x: \u{FFFD}A
           ^
        """),
        ("cut-utf8", Array("a: 가".utf8) + [0xEA, 0xB0, 0x0A], """
        cut-utf8.yaml:1:5: error: invalid UTF-8 at byte offset 6: byte 0xEA starts a character that is cut short
        a: 가\u{FFFD}
             ^
        """),
        ("control", Array("a: \u{01}\n".utf8), """
        control.yaml:1:4: error: control character U+0001 at byte offset 3 is not allowed in YAML
        a: \u{01}
           ^
        """),
        ("unknown-alias", Array("a: *nope\n".utf8), """
        unknown-alias.yaml:1:4: error: unknown alias '*nope': no anchor '&nope' is defined before it
        a: *nope
           ^
        """),
        ("recursive-alias", Array("a: &r [1, *r]\n".utf8), """
        recursive-alias.yaml:1:11: error: alias '*r' refers to a node that contains it (recursive aliases are not supported)
        a: &r [1, *r]
                  ^
        """),
        ("bad-indent", Array("a:\n  - 1\n  b: 2\n".utf8), """
        bad-indent.yaml:3:3: error: did not find expected '-' indicator (while parsing a block collection that starts at 2:3)
          b: 2
          ^
        """),
        ("nested-colon", Array("a: b: c\n".utf8), """
        nested-colon.yaml:1:5: error: mapping values are not allowed in this context
        a: b: c
            ^
        """),
        ("unclosed-flow", Array("a: [1, 2\n".utf8),
         "unclosed-flow.yaml:2:1: error: did not find expected ',' or ']' (while parsing a flow sequence that starts at 1:4)"),
    ]

    @Test(arguments: cases)
    func badInputGivesFullDiagnostic(name: String, bytes: [UInt8], expected: String) {
        do {
            _ = try YAMLParser.parse(bytes, file: "\(name).yaml")
            Issue.record("\(name) parsed without error")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func stringInputReportsTheSameDiagnostics() {
        #expect(throws: YAMLError(file: "s.yaml", mark: Mark(line: 2, column: 1),
                                  message: "duplicate key 'a' (first defined at 1:1)", sourceLine: "a: 2")) {
            try YAMLParser.parse("a: 1\na: 2\n", file: "s.yaml")
        }
    }

    /// Billion laughs: ten levels of ten aliases each would be 10^10 nodes.
    @Test func aliasBombIsRefused() {
        var source = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = String(UnicodeScalar(UInt8(96 + level)))
            let name = String(UnicodeScalar(UInt8(97 + level)))
            source += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        let expected = """
        bomb.yaml:6:36: error: alias '*e' expands the document past 1000000 nodes; refusing a possible alias bomb
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
                                           ^
        """
        #expect(diagnostic(source, file: "bomb.yaml") == expected)
    }

    @Test func deepFlowNestingIsRefused() {
        let source = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let expected = """
        deep.yaml:1:513: error: nesting deeper than 512 levels is not supported
        …\(String(repeating: "[", count: 120))…
        \(String(repeating: " ", count: 61))^
        """
        #expect(diagnostic(source, file: "deep.yaml") == expected)
    }

    @Test func deepBlockNestingIsRefused() {
        let source = String(repeating: "- ", count: 10_000) + "x\n"
        let expected = """
        deep.yaml:1:1025: error: nesting deeper than 512 levels is not supported
        …\(String(repeating: "- ", count: 60))…
        \(String(repeating: " ", count: 61))^
        """
        #expect(diagnostic(source, file: "deep.yaml") == expected)
    }

    @Test func nestingAtTheLimitIsAccepted() throws {
        let source = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        var node = try YAMLParser.parse(source, file: "limit.yaml")
        var depth = 1
        while let first = node.sequence?.first {
            node = first
            depth += 1
        }
        #expect(depth == 512)
    }

    /// A 10 MB workflow-like file parses completely (a speed figure belongs to the benchmark).
    @Test func tenMegabyteFileParses() throws {
        var source = "items:\n"
        var count = 0
        while source.utf8.count < 10_000_000 {
            source += "  - id: item\(count)\n    text: \"한국어 문장 \(count) with some padding text here\"\n"
            count += 1
        }
        let node = try YAMLParser.parse(source, file: "big.yaml")
        let items = try #require(node["items"]?.sequence)
        #expect(items.count == count)
        #expect(items.last?["text"]?.scalar?.value == "한국어 문장 \(count - 1) with some padding text here")
        #expect(items.last?.mark == Mark(line: 2 * count, column: 5))
    }

    @Test func longSourceLinesAreWindowed() {
        let line = String(repeating: "a", count: 300)
        let (shown, column) = SourceExcerpt.window(line, column: 200)
        #expect(shown == "…" + String(repeating: "a", count: 120) + "…")
        #expect(column == 62)
    }

    private func diagnostic(_ source: String, file: String) -> String? {
        do {
            _ = try YAMLParser.parse(source, file: file)
            return nil
        } catch {
            return error.description
        }
    }
}

import Base
import Testing
@testable import YAML

/// The happy path: structure, order, styles, tags, marks and Korean text.
struct YAMLParserTests {
    @Test func mappingKeepsKeyOrderAndMarks() throws {
        let node = try YAMLParser.parse("name: 캠페인\nsteps:\n  - id: copy\n    kind: generate\n  - id: 요약\n", file: "w.yaml")
        let entries = try #require(node.mapping)
        #expect(entries.map { $0.key.scalar?.value } == ["name", "steps"])
        #expect(node.mark == Mark(line: 1, column: 1))
        #expect(node["name"] == Node(.scalar(Scalar("캠페인")), mark: Mark(line: 1, column: 7)))
        let steps = try #require(node["steps"]?.sequence)
        #expect(steps.count == 2)
        #expect(steps[0].mark == Mark(line: 3, column: 5))
        #expect(steps[1]["id"]?.scalar?.value == "요약")
        #expect(steps[1]["id"]?.mark == Mark(line: 5, column: 9))
        #expect(node["missing"] == nil)
    }

    @Test func koreanColumnsCountCharacters() throws {
        let node = try YAMLParser.parse("제목: 봄 캠페인\n설명: \"한국어 설명\"\n", file: "k.yaml")
        #expect(node["제목"]?.mark == Mark(line: 1, column: 5))
        #expect(node["설명"]?.scalar == Scalar("한국어 설명", style: .doubleQuoted))
    }

    @Test(arguments: [
        ("a: plain", Scalar("plain", style: .plain)),
        ("a: 'single ''q'''", Scalar("single 'q'", style: .singleQuoted)),
        ("a: \"double\\t\\u00e9\"", Scalar("double\té", style: .doubleQuoted)),
        ("a: |\n  줄 하나\n  줄 둘\n", Scalar("줄 하나\n줄 둘\n", style: .literal)),
        ("a: >\n  접힌\n  문장\n", Scalar("접힌 문장\n", style: .folded)),
        ("a: !!str 123", Scalar("123", style: .plain, tag: "tag:yaml.org,2002:str")),
        ("a: !custom x", Scalar("x", style: .plain, tag: "!custom")),
    ])
    func scalarStylesAndTags(source: String, expected: Scalar) throws {
        let node = try YAMLParser.parse(source, file: "s.yaml")
        #expect(node["a"]?.scalar == expected)
    }

    @Test func anchorsAndAliasesCopyTheNode() throws {
        let source = """
        defaults: &d
          model: smollm
          temperature: 0
        a: *d
        b: [*d, &x 크기, *x]
        """
        let node = try YAMLParser.parse(source, file: "a.yaml")
        let defaults = try #require(node["defaults"])
        let a = try #require(node["a"])
        #expect(a.mark == Mark(line: 4, column: 4))
        #expect(a.content == defaults.content)
        #expect(a["model"]?.mark == Mark(line: 2, column: 10))
        let b = try #require(node["b"]?.sequence)
        #expect(b.map(\.kindName) == ["mapping", "scalar", "scalar"])
        #expect(b[2] == Node(.scalar(Scalar("크기")), mark: Mark(line: 5, column: 16)))
    }

    @Test func flowCollectionsAndRootScalar() throws {
        let node = try YAMLParser.parse("{a: [1, 2], b: {c: d}}", file: "f.yaml")
        #expect(node["a"]?.sequence?.compactMap { $0.scalar?.value } == ["1", "2"])
        #expect(node["b"]?["c"]?.scalar?.value == "d")
        #expect(try YAMLParser.parse("안녕", file: "r.yaml").scalar == Scalar("안녕"))
        #expect(try YAMLParser.parse("--- ~\n", file: "n.yaml").scalar?.isNull == true)
    }

    @Test func explicitDocumentMarkersAndComments() throws {
        let node = try YAMLParser.parse("# 주석\n---\na: 1 # trailing\n...\n", file: "d.yaml")
        #expect(node["a"]?.scalar?.value == "1")
        #expect(node.mark == Mark(line: 3, column: 1))
    }

    @Test func bytesWithBOMAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb: 두\r\n".utf8)
        let node = try YAMLParser.parse(bytes, file: "b.yaml")
        #expect(node["b"]?.scalar?.value == "두")
        #expect(node["b"]?.mark == Mark(line: 2, column: 4))
    }

    @Test func caretAlignsUnderWideCharactersAndTabs() {
        #expect(SourceExcerpt.caretLine(for: "가나: x", column: 5) == "      ^")
        #expect(SourceExcerpt.caretLine(for: "\tab", column: 3) == "\t ^")
        #expect(SourceExcerpt.caretLine(for: "", column: 3) == "  ^")
    }
}

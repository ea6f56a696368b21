import Foundation
import Testing
import Template
import Workflow
@testable import Engine
@testable import Scheduler
@testable import Providers

/// The engine's small parts: recipes, JSON extraction, output paths, the SSE parser.
@Suite struct EnginePartsTests {
    @Test func theKoreanTranslateRecipeNamesEveryGlossaryTerm() throws {
        var glossary = ValueDictionary()
        glossary["한빛시"] = "Hanbit City"
        glossary["봄꽃 축제"] = "Spring Flower Festival"
        let text = try Recipes.render(Recipes.translate(.korean), name: "t", [
            "text": "한빛시 봄꽃 축제", "from": "en", "to": "ko", "from_name": "영어", "to_name": "한국어", "glossary": .dict(glossary),
        ])
        #expect(text == """
            다음 글을 영어에서 한국어(으)로 번역하세요.
            다음 용어는 반드시 지정된 번역어로 옮기세요:
            - 한빛시 → Hanbit City
            - 봄꽃 축제 → Spring Flower Festival
            번역문만 답하세요.

            원문:
            한빛시 봄꽃 축제
            """)
    }

    @Test func theKoreanSummarizeRecipeStatesLengthAndFormat() throws {
        let text = try Recipes.render(Recipes.summarize(.korean), name: "s", [
            "text": "본문", "max_words": 50, "max_sentences": .none, "format": "bullets", "language": "ko", "language_name": "한국어",
        ])
        #expect(text == """
            다음 글을 요약하세요.
            - 길이: 50단어 이내
            - 형식: 글머리표 목록 (각 줄을 "- "로 시작)
            - 언어: 한국어
            - 원문에 없는 사실을 더하지 말고, 요약문만 답하세요.

            글:
            본문
            """)
    }

    /// Every recipe renders in both languages with its documented variables.
    @Test(arguments: Recipes.Language.allCases)
    func everyRecipeRenders(language: Recipes.Language) throws {
        let missing: Value = .list([.dict(["source": "한빛시", "target": "Hanbit City"]), .dict(["source": "새솔대학교", "target": "Saesol University"])])
        _ = try Recipes.render(Recipes.summarize(language), name: "s", ["text": "x", "max_words": .none, "max_sentences": 2, "format": "prose", "language": .none, "language_name": .none])
        _ = try Recipes.render(Recipes.translate(language), name: "t", ["text": "x", "from": .none, "to": "en", "from_name": .none, "to_name": "English", "glossary": .dict(ValueDictionary())])
        _ = try Recipes.render(Recipes.extract(language), name: "e", ["text": "x", "schema": "{}"])
        _ = try Recipes.render(Recipes.extractRepair(language), name: "r", ["problem": "p", "schema": "{}"])
        let retry = try Recipes.render(Recipes.glossaryRetry(language), name: "g", ["missing": missing])
        #expect(retry.contains("Hanbit City") && retry.contains("Saesol University"))
    }

    @Test(arguments: [
        ("ko", "any", Recipes.Language.korean), ("en", "한국어", .english), (nil, "한국어 보도자료", .korean), (nil, "press release", .english),
    ] as [(String?, String, Recipes.Language)])
    func recipeLanguageFollowsTheOutputLanguage(code: String?, text: String, expected: Recipes.Language) {
        #expect(Recipes.language(for: code, text: text) == expected)
    }

    static let schema = JSONShape.object([
        .init(name: "name", schema: .string), .init(name: "price", schema: .integer),
        .init(name: "tags", schema: .list(.string), optional: true),
    ])

    @Test(arguments: [
        (#"{"name": "텀블러", "price": 12000}"#, nil),
        ("```json\n{\"name\": \"텀블러\", \"price\": 12000, \"tags\": [\"eco\"]}\n```", nil),
        (#"{"name": "텀블러"}"#, "$.price: missing"),
        (#"{"name": 3, "price": "12000"}"#, "$.name: expected a string, found an integer; $.price: expected an integer, found a string"),
        (#"{"name": "a", "price": 1, "tags": [1]}"#, "$.tags[0]: expected a string, found an integer"),
        ("가격은 만 이천 원", "the answer contains no JSON object"),
    ] as [(String, String?)])
    func extractedJSONIsValidatedAgainstTheSchema(answer: String, problem: String?) {
        do {
            _ = try ExtractedJSON.parse(answer, schema: Self.schema)
            #expect(problem == nil)
        } catch {
            #expect(error.message == problem)
        }
    }

    @Test(arguments: [
        ("press/en/release.md", nil),
        ("./notes.md", nil),
        ("../x.md", "refused to write '../x.md': '..' is not allowed; files stay inside the output folder /srv/out"),
        ("/etc/passwd", "refused to write '/etc/passwd': absolute paths are not allowed; paths are relative to the output folder /srv/out"),
        ("", "refused to write '': the path is empty"),
        ("dir/", "refused to write 'dir/': the path names a folder, not a file"),
    ] as [(String, String?)])
    func outputPathsStayInsideTheOutputFolder(path: String, expected: String?) {
        let folder = OutputDirectory("/srv/out")
        do {
            let url = try folder.resolve(path)
            #expect(expected == nil)
            #expect(url.path.hasPrefix("/srv/out/"))
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func atomicWritesLeaveNoTemporaryFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("baton-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = OutputDirectory(root.path)
        try folder.write(Data("첫 판".utf8), to: "a/b.md")
        try folder.write(Data("둘째 판".utf8), to: "a/b.md")
        #expect(try String(contentsOf: root.appendingPathComponent("a/b.md"), encoding: .utf8) == "둘째 판")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("a").path) == ["b.md"])
    }

    @Test func serverSentEventsSurviveSplitsInsideCharactersAndLines() {
        let stream = Array("data: {\"a\":\"한\"}\r\n\r\ndata: [DONE]\n\n".utf8)
        for split in 1..<stream.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(stream[..<split]) + parser.feed(stream[split...]) + parser.finish()
            #expect(events == [#"{"a":"한"}"#, "[DONE]"])
        }
    }
}

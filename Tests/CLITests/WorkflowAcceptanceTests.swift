import Foundation
import Testing
import TestSupport

/// The acceptance harness: every workflow in `Workflows/` runs with the real binary against the
/// loopback server in its realistic mode (answers like a real model's: varied wording, glossary
/// terms only where they occur, optional JSON keys left out, some invalid first answers, slow
/// replies, streamed answers split inside UTF-8 characters), and the files it writes are checked.
///
/// Each run works in its own folder, laid out like a checkout: `Workflows/` holds copies of the
/// shipped workflows and `Examples` links to the repository's. The runs start in that folder and
/// name `Workflows/NAME`, so every path the workflows write (`../Examples/...`, the knowledge
/// database) resolves against the workflow's folder, not the folder the run starts in.
@Suite struct WorkflowAcceptanceTests {
    /// Every shipped workflow, so one added to `Workflows/` is picked up without editing this test.
    static let shipped: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: BatonProcess.repository.appendingPathComponent("Workflows").path)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.sorted()

    let server: FakeOpenAIServer
    let folder: URL

    init() throws {
        server = try FakeOpenAIServer(config: #"{"realistic": true}"#)
        folder = try TemporaryFolder.make("acceptance")
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("Examples"),
                                                   withDestinationURL: BatonProcess.repository.appendingPathComponent("Examples"))
        let workflows = folder.appendingPathComponent("Workflows")
        try FileManager.default.createDirectory(at: workflows, withIntermediateDirectories: true)
        for name in Self.shipped {
            try FileManager.default.copyItem(at: BatonProcess.repository.appendingPathComponent("Workflows/\(name)"), to: workflows.appendingPathComponent(name))
        }
    }

    var model: String { "*=\(server.baseURL.absoluteString)#realistic-model" }

    /// Runs `baton` in the test's folder; `stream` asks for streamed answers (`BATON_STREAM=1`).
    /// Review steps (campaign-copy's `approval`) are approved without a person
    /// (`BATON_AUTO_APPROVE=1`, recorded by `auto-approve`); ReviewCLITests decide them by hand.
    func baton(_ arguments: [String], stream: Bool = false) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": "", "BATON_STREAM": stream ? "1" : "0", "BATON_AUTO_APPROVE": "1"],
                             directory: folder)
    }

    /// `baton run Workflows/NAME --model '*=server' --json` plus `extra`, checked to succeed.
    func run(_ name: String, _ extra: [String] = [], stream: Bool = false) throws -> [String: Any] {
        let result = try baton(["run", "Workflows/\(name)", "--model", model, "--json"] + extra, stream: stream)
        #expect(result.status == 0, "\(name): \(result.stdout)\n\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(object["status"] as? String == "succeeded", "\(name): \(object["error"] ?? "")")
        return object
    }

    func file(_ relative: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
    }

    func attempts(_ runID: String) throws -> [[String: Any]] {
        let shown = try baton(["show", runID, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        return try #require(object["steps"] as? [[String: Any]])
    }

    /// Every workflow but `rag-answer` (which needs an embedding model for its knowledge base,
    /// tested below) succeeds and writes every file it declares, non-empty, streamed or not
    /// (`.docx` and `.hwpx` files read back through `baton text`).
    @Test(arguments: shipped.filter { $0 != "rag-answer.yaml" }, [false, true])
    func everyShippedWorkflowSucceedsAgainstTheRealisticServer(_ name: String, stream: Bool) throws {
        let object = try run(name, stream: stream)
        let files = try #require(object["files"] as? [String])
        #expect(!files.isEmpty)
        for path in files {
            let text: String
            if path.hasSuffix(".docx") || path.hasSuffix(".hwpx") {
                // Word and Hangul outputs are checked as Baton reads them back.
                let read = try baton(["text", path])
                #expect(read.status == 0, "\(path): \(read.stderr)")
                text = read.stdout
            } else {
                text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            }
            #expect(!text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(path) is empty")
            #expect(!text.contains("⟨") && !text.contains("echo:"), "\(path): \(text)")
        }
        #expect(try baton(["audit", "verify"]).status == 0)
    }

    static let tones = ["friendly", "formal", "playful"]

    /// campaign-copy for each tone: the Korean copy, the slogans JSON, and the English file, which
    /// holds the translation unless the tone is playful (the `when` of `copy_en`).
    @Test(arguments: tones)
    func campaignCopyWritesItsThreeFilesForEachTone(_ tone: String) throws {
        let object = try run("campaign-copy.yaml", ["--input", "tone=\(tone)"])
        #expect((object["files"] as? [String])?.sorted() == ["out/hanbit-spring-2027/copy.en.md", "out/hanbit-spring-2027/copy.ko.md",
                                                              "out/hanbit-spring-2027/slogans.json"])
        let korean = try file("out/hanbit-spring-2027/copy.ko.md")
        #expect(korean.hasPrefix("# 2027 한빛시 봄꽃 축제 캠페인 카피 (\(tone))\n\n## 브리프 요약\n"))
        #expect(korean.contains("\n- 발주처: 한빛시청 문화관광과\n"))
        let headline = ["friendly": "퇴근길, 한빛천에서 봄을 만나요", "formal": "한빛시 봄꽃 축제에 초대합니다", "playful": "야근 말고 야간 개장"][tone] ?? ""
        #expect(korean.contains("## 카피\n1. 헤드라인: \(headline)\n"))
        let slogans = try #require(try JSONSerialization.jsonObject(with: Data(try file("out/hanbit-spring-2027/slogans.json").utf8)) as? [String: Any])
        #expect(slogans["headline"] as? String == headline)
        #expect(slogans["slogans"] as? [String] == ["퇴근 후에 만나는 봄", "빛의 정원에서 한 걸음 더", "한빛천 따라 벚꽃길 3km"])
        #expect(slogans["hashtags"] as? [String] == ["#한빛시", "#봄꽃축제", "#빛의정원", "#한빛천", "#퇴근후봄"])
        let english = try file("out/hanbit-spring-2027/copy.en.md")
        if tone == "playful" {
            #expect(english == "(not translated: tone is playful)\n")
        } else {
            #expect(english.hasPrefix("# English version\n\n"))
            #expect(english.contains("It names Hanbit City, Hanbitcheon Stream, Spring Flower Festival, Garden of Light."))
        }
    }

    /// campaign-copy re-run with another tone: the brief's summary does not read the tone and is
    /// reused; the copy, its slogans and its translation are asked for again; the files hold the
    /// new run's text.
    @Test func campaignCopyRerunWithAnotherToneReusesOnlyTheSummary() throws {
        let first = try run("campaign-copy.yaml", ["--input", "tone=friendly"])
        let firstID = try #require(first["run_id"] as? String)
        let summaryPrompt = try #require(try attempts(firstID).first { $0["id"] as? String == "summary" }?["prompt"] as? String)
        let sent = server.requestCount
        let result = try baton(["rerun", firstID, "--input", "tone=formal", "--model", model, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let secondID = try #require(object["run_id"] as? String)
        let rows = try attempts(secondID).filter { $0["status"] as? String == "succeeded" }
        let reused = rows.filter { ($0["extra"] as? [String: Any])?["reused_from"] != nil }.compactMap { $0["id"] as? String }
        #expect(reused == ["summary"])
        #expect(Set(rows.compactMap { $0["id"] as? String }) == ["summary", "copy", "approval", "slogans", "copy_en"])
        let later = Array(server.prompts().dropFirst(sent))
        #expect(!later.contains(summaryPrompt))
        #expect(later.contains { $0.contains("정중하고 단정하게") })
        #expect(try file("out/hanbit-spring-2027/copy.en.md").hasPrefix("# English version\n\n"))
    }

    /// translate-press-releases: one English file per release (as Markdown, DOCX and HWPX) plus the index; each translation was
    /// checked (and asked for) only against the glossary terms whose source occurs in that release.
    @Test func translatePressReleasesTranslatesEveryReleaseWithItsOwnGlossaryTerms() throws {
        let object = try run("translate-press-releases.yaml")
        let sources = BatonProcess.repository.appendingPathComponent("Examples/press-releases/ko")
        let names = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".md") }.sorted()
        let stems = names.map { $0.replacingOccurrences(of: ".ko.md", with: "") }
        let written = stems.flatMap { stem in ["md", "docx", "hwpx"].map { "out/press-releases/en/\(stem).en.\($0)" } }
        #expect((object["files"] as? [String])?.sorted() == (written + ["out/press-releases/en/INDEX.md"]).sorted())
        let expectedTerms = [
            "badamaeul-island-pass": "Badamaeul Tourism Foundation, Island Travel Pass",
            "hanbit-night-opening": "Hanbit City, Hanbitcheon Stream, Spring Flower Festival",
            "onnuri-low-sugar-soy": "Onnuri Foods",
            "saesol-ai-center": "Saesol University, Center for Applied Generative AI",
        ]
        for stem in stems {
            let english = try file("out/press-releases/en/\(stem).en.md")
            #expect(english.hasPrefix("# English version\n\n"), "\(stem)")
            #expect(english.hasSuffix("It names \(expectedTerms[stem] ?? "?").\n"), "\(stem): \(english)")
        }
        // The prompts list only the terms each release contains; no prompt asks for a term its text lacks.
        for prompt in server.prompts() where prompt.contains("원문:") || prompt.contains("Text:") {
            #expect(!(prompt.contains("새솔대학교 →") && prompt.contains("온누리식품 →")), "\(prompt)")
        }
        let runID = try #require(object["run_id"] as? String)
        let english = try attempts(runID).filter { $0["id"] as? String == "english" && $0["status"] as? String == "succeeded" }
        #expect(english.count == names.count)
        let index = try file("out/press-releases/en/INDEX.md")
        #expect(index.contains("\n\(names.count) releases, glossary of 8 terms applied."))
    }

    /// press-facts-en: the facts table has every release, and a price or contact the model left
    /// out (optional fields) is an empty cell, not an error.
    @Test func pressFactsTablesEveryReleaseWithOptionalFactsLeftEmpty() throws {
        let object = try run("press-facts-en.yaml")
        #expect((object["files"] as? [String])?.sorted() == ["out/press-facts/facts.json", "out/press-facts/facts.md"])
        #expect(try file("out/press-facts/facts.md") == """
            # Press release facts

            | Release | Company | Product | City | Date | Price | Contact | Kind |
            |---|---|---|---|---|---|---|---|
            | aurora-e2-scooter.md | Aurora Mobility | Aurora E2 | Seoul | March 3, 2026 | 890,000 won |  | launch |
            | daon-hometown-makers.en.md | Daon Broadcasting | Hometown Makers | Seoul | November 20 |  | press@daon-broadcasting.example | launch |

            """)
        let facts = try #require(try JSONSerialization.jsonObject(with: Data(try file("out/press-facts/facts.json").utf8)) as? [[String: Any]])
        #expect(facts.count == 2)
        // Left out by the model, present as null: every item has the schema's keys.
        #expect(facts.first?["contact"] is NSNull && facts.last?["price"] is NSNull)
    }

    /// rag-answer over a knowledge base built with `baton ingest`: the cited answer and its sources.
    @Test(.requiresMiniLM) func ragAnswerCitesTheRetrievedDocuments() throws {
        let embedding = try #require(ReferenceModels.miniLM)
        let database = folder.appendingPathComponent(".baton/knowledge/agency.db").path
        let ingested = try baton(["ingest", database, "Examples/knowledge", "--model", embedding])
        #expect(ingested.status == 0, "\(ingested.stderr)")
        let object = try run("rag-answer.yaml")
        let outputs = try #require(object["outputs"] as? [String: Any])
        let answer = try #require(outputs["answer"] as? String)
        #expect(answer.hasPrefix("드론 라이트쇼는 4월 3일과 4월 10일 밤 8시 30분에 열립니다 [1]."))
        #expect(answer.contains("\n\n출처:\n[1] "))
        #expect((outputs["sources"] as? [String])?.count == 4)
    }
}

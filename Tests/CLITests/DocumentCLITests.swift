import Foundation
import Testing
import TestSupport

/// `baton text` and `baton ingest`/`baton search` on the office, HWP and PDF fixtures of
/// `Tests/DocumentsTests/Fixtures` (made by `make_office_fixtures.py`, `make_hwp5_fixtures.py`
/// and `make_pdf_fixtures.py`).
@Suite struct DocumentCLITests {
    static let fixtures = BatonProcess.repository.appendingPathComponent("Tests/DocumentsTests/Fixtures")

    func baton(_ arguments: [String]) throws -> BatonProcess {
        try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: Self.fixtures)
    }

    /// What `baton text FILE` prints for a fixture, once it has exited 0 with nothing on stderr.
    func text(_ file: String) throws -> String {
        let result = try baton(["text", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "")
        return result.stdout
    }

    @Test func textPrintsADocxAsMarkdownWithKoreanIntact() throws {
        #expect(try text("office/release.docx") == """
            # 보도자료: 생성형 AI 실무 센터 개소

            새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.

            ## 지원 내용

            - 센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.
            1. 참여 기업은 GPU 서버 사용료의 70%를 지원받는다.

            | 지원 항목 |  |
            | --- | --- |
            | 기간 | 2년 |
            | 대상 | 중소기업 120곳 |
            |  | 지역 대학 |

            Daon Broadcasting today announced a 12-part documentary series about regional makers. Each 50-minute episode pairs one manufacturer with a studio.

            글상자: 신청은 12월 15일까지 센터 누리집에서 받는다.

            문의: 센터 운영팀

            [^1]: 센터 누리집 주소는 추후 공지한다.

            """)
    }

    @Test func textPrintsAnHWPDocumentWithItsTableAndSections() throws {
        #expect(try text("hwp/notice.hwp") == """
            # 보도자료: 생성형 AI 실무 센터 개소

            새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.

            ## 지원 내용

            기간\t센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.

            참여 기업은 GPU 서버 사용료의 70%를 지원받는다.
            문의: 센터 운영팀

            | 지원 항목 |  |
            | --- | --- |
            | 기간 | 2년 |
            | 대상 | 중소기업 120곳 |
            |  | 지역 대학 |

            Daon Broadcasting today announced a 12-part documentary series about regional makers. Each 50-minute episode pairs one manufacturer with a studio.

            신청은 12월 15일까지 센터 누리집에서 받는다.

            """)
        let locked = try baton(["text", "hwp/distribution.hwp"])
        #expect(locked.status == 1)
        #expect(locked.stderr == "hwp/distribution.hwp: FileHeader: byte 36: error: the HWP document is a distribution document (배포용 문서), whose text is encrypted; ask the sender for an editable copy\n")
    }

    @Test func textMarksSlidesAndPages() throws {
        let slides = try baton(["text", "office/briefing.pptx"])
        #expect(slides.status == 0, "\(slides.stderr)")
        #expect(slides.stdout.hasPrefix("<!-- slide 1 -->\n\n# 다온방송 다큐멘터리 시리즈\n\n"))
        #expect(slides.stdout.contains("> 발표자 노트: 신청은 12월 15일까지 센터 누리집에서 받는다.\n\n<!-- slide 2 -->\n\n## 지원 내용\n\n"
                                       + "- 센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.\n"
                                       + "  - 참여 기업은 GPU 서버 사용료의 70%를 지원받는다.\n\n"))
        let pages = try baton(["text", "pdf/blank-page.pdf"])
        #expect(pages.status == 0, "\(pages.stderr)")
        #expect(pages.stdout.hasSuffix("<!-- page 2 -->\n\n> page 2 has no text (a scanned image or a blank page)\n"))
    }

    @Test func textAsJSONGivesBlocksWithTheirPositions() throws {
        let result = try baton(["text", "office/budget.xlsx", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "xlsx")
        let blocks = try #require(object["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["kind"] as? String } == ["sheet", "table", "sheet", "table"])
        #expect(blocks.map { $0["position"] as? String } == ["sheet 예산", "예산!A1", "sheet Notes", "Notes!B3"])
        let rows = try #require(blocks[1]["rows"] as? [[[String: Any]]])
        #expect(rows[1].map { $0["text"] as? String } == ["GPU 서버 사용료", "1,250,000", "70%", "2027-01-08"])
        #expect(rows[6].first?["col_span"] as? Int == 4)
    }

    @Test func textErrorsNameTheFile() throws {
        let missing = try baton(["text", "office/none.docx"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "office/none.docx: error: no such file\n")
        let password = try baton(["text", "pdf/aes-user-password.pdf"])
        #expect(password.status == 1)
        #expect(password.stderr == "pdf/aes-user-password.pdf: error: the document is encrypted and needs a password to open; Baton reads only PDFs that open without one\n")
        let usage = try baton(["text", "office/release.docx", "--format", "html"])
        #expect(usage.status == 64)
        #expect(usage.stderr.hasPrefix("error: unknown format 'html' (markdown or json)\nUSAGE: baton text FILE [--format markdown|json]"))
    }

    @Test(.requiresMiniLM) func ingestedDocumentsAreFoundWithTheirPageSlideOrSheet() throws {
        let model = try #require(ReferenceModels.miniLM)
        let folder = try TemporaryFolder.make("documents-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("knowledge.db").path
        let ingest = try baton(["ingest", database, "office/release.docx", "office/briefing.pptx", "office/budget.xlsx",
                                "pdf/libreoffice-korean.pdf", "office/notice.hwpx", "hwp/notice.hwp", "--model", model])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.hasPrefix("added 6, updated 0, unchanged 0, removed 0, failed 0;"))
        for (query, source, citation) in [
            ("센터 누리집 주소는 추후 공지한다", "office/release.docx", "[^1]: 센터 누리집 주소는 추후 공지한다."),
            ("발표자 노트", "office/briefing.pptx", "slide 1"),
            ("GPU 서버 사용료", "office/budget.xlsx", "예산!A2"),
            ("보도자료", "pdf/libreoffice-korean.pdf", "page 1 > 보도자료: 생성형 AI 실무 센터 개소"),
            ("신청 마감", "office/notice.hwpx", "보도자료: 생성형 AI 실무 센터 개소 > 지원 내용"),
            ("문의: 센터 운영팀", "hwp/notice.hwp", "보도자료: 생성형 AI 실무 센터 개소 > 지원 내용"),
        ] {
            let search = try baton(["search", database, query, "--mode", "lexical", "--path", source, "--top-k", "1", "--json"])
            #expect(search.status == 0, "\(search.stderr)")
            let results = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [[String: Any]])
            let text = try #require(results.first?["text"] as? String, "\(query): \(search.stdout)")
            #expect(text.contains(citation), "\(query): \(text)")
        }
    }

    @Test func aWorkflowReadsAnHWPXReleaseAndWritesItAsDOCX() throws {
        let folder = try TemporaryFolder.make("docx-out")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workflow = folder.appendingPathComponent("convert.yaml").path
        try """
            baton: 1
            name: convert
            steps:
              - { id: release, kind: read, path: "\(Self.fixtures.path)/office/notice.hwpx" }
            outputs:
              files:
                - { path: "converted/notice.docx", content: "{{ steps.release.output }}" }
            """.write(toFile: workflow, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out").path
        let run = try BatonProcess.run(["run", workflow, "--out", out, "--db", folder.appendingPathComponent("audit.db").path])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try baton(["text", out + "/converted/notice.docx"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == """
            # 보도자료: 생성형 AI 실무 센터 개소

            새솔대학교는 11월 24일 교내 미래관에서 생성형 AI 실무 센터 개소식을 열었다고 밝혔다.

            ## 지원 내용

            - 센터는 지역 중소기업 120곳을 대상으로 2년간 생성형 AI 도입 컨설팅과 실무 교육을 제공한다.

            참여 기업은 GPU 서버 사용료의 70%를 지원받는다.

            | 지원 항목 |  |
            | --- | --- |
            | 기간 | 2년 |
            | 신청 마감 | 12월 15일 |

            신청은 12월 15일까지 센터 누리집에서 받는다.

            Daon Broadcasting today announced a 12-part documentary series about regional makers.

            [^1]: 센터 누리집 주소는 추후 공지한다.

            """)
    }
}

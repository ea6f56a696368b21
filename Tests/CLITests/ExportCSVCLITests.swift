import Foundation
import Testing
import TestSupport

/// `baton export --format csv|jsonl` of a real run: a translation `for_each` over ten Korean
/// lines against the loopback server, read back by Python's csv module as a spreadsheet would.
@Suite struct ExportCSVCLITests {
    static let lines = ["봄꽃 축제가 열립니다", "한빛시에 오신 것을 환영합니다", "무선 이어폰, 가볍게 오래", "녹차 라떼 신메뉴",
                        "주말 특가 \"50%\" 할인", "서울, 부산, 대구", "새 학기 준비물", "가을 단풍 여행", "=SUM(A1) 수식처럼 보이는 글", "겨울 한정판"]

    /// Runs the batch in a new home against a new loopback server: the home and the run's id.
    func runBatch() throws -> (home: PromptHome, runID: String) {
        let server = try FakeOpenAIServer()
        let home = try PromptHome()
        let items = Self.lines.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ", ")
        try """
            \(FakeServerWorkflow.header(name: "번역-배치", model: "main", baseURL: server.baseURL.absoluteString))
            steps:
              - id: english
                kind: translate
                for_each: [\(items)]
                text: "{{ item }}"
                to: en
            """.write(toFile: home.folder.appendingPathComponent("batch.yaml").path, atomically: true, encoding: .utf8)
        let run = try home.baton(["run", "batch.yaml", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return (home, try #require(object["run_id"] as? String))
    }

    /// Parses CSV bytes with Python's csv module (`utf-8-sig` drops a BOM) into rows of cells.
    func pythonRows(_ csv: Data, folder: URL) throws -> [[String]] {
        let path = folder.appendingPathComponent("export.csv")
        try csv.write(to: path)
        let script = "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))))"
        let result = try #require(ChildProcess.run(["python3", "-c", script, path.path]))
        #expect(result.status == 0, "\(result.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String]])
    }

    @Test func aTenItemTranslationBatchExportsAsTenRowsWithKoreanIntact() throws {
        let (home, runID) = try runBatch()
        let export = try home.baton(["export", runID, "--format", "csv", "--excel"])
        #expect(export.status == 0, "\(export.stderr)")
        let bytes = Data(export.stdout.utf8)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = try pythonRows(bytes, folder: home.folder)
        #expect(rows.first == ["run_id", "workflow", "step", "item", "attempt", "kind", "status", "model", "tokens_in", "tokens_out",
                               "latency_ms", "started_at", "finished_at", "error", "prompt", "output", "output_json"])
        let data = Array(rows.dropFirst())
        #expect(data.count == 10)
        for (index, row) in data.enumerated() {
            #expect(row.count == 17)
            #expect(row[1] == "번역-배치")
            #expect(row[2] == "english")
            #expect(row[3] == String(index))
            #expect(row[6] == "succeeded")
            // The loopback server echoes the prompt, so each output carries its Korean line.
            let line = Self.lines[index]
            #expect(row[15].contains(line), "row \(index): \(row[15])")
        }
        let plain = try home.baton(["export", runID, "--format", "csv"])
        #expect(!plain.stdout.hasPrefix("\u{FEFF}"))
        #expect(plain.stdout.hasPrefix("run_id,workflow,step,item,"))
    }

    @Test func jsonLinesHoldOneObjectPerAttempt() throws {
        let (home, runID) = try runBatch()
        let export = try home.baton(["export", runID, "--format", "jsonl", "--final"])
        #expect(export.status == 0, "\(export.stderr)")
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.count == 10)
        for (index, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["item"] as? Int == index)
            #expect((object["output"] as? String)?.contains(Self.lines[index]) == true)
            #expect(object["tokens_in"] as? Int != nil)
        }
        // Korean stays UTF-8, not \u escapes.
        #expect(export.stdout.contains("겨울 한정판"))
    }
}

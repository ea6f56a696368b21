import Foundation
import Testing
import Template
@testable import Workflow

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The names of the `.yaml` files in `folder` (relative to the repository root), sorted; none
/// when the folder cannot be read (the tests that count them then fail).
func yamlFileNames(in folder: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent(folder).path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
}

/// Every workflow shipped in Workflows/.
let sampleWorkflows = yamlFileNames(in: "Workflows")

@Test func thereAreAtLeastFiveSampleWorkflows() {
    #expect(sampleWorkflows.count >= 5)
    #expect(sampleWorkflows.contains("campaign-copy.yaml"))
}

@Test(arguments: sampleWorkflows)
func sampleWorkflowLoadsAndPreviews(_ name: String) throws {
    let path = repositoryRoot.appendingPathComponent("Workflows/\(name)").path
    let workflow = try WorkflowLoader.load(path: path)
    #expect(workflow.name + ".yaml" == name)
    #expect(workflow.topologicalOrder.count == workflow.steps.count)
    // Inputs from the defaults alone: the example paths they name (`../Examples/...`) resolve
    // against the workflow's folder, whichever folder the tests run in.
    let inputs = try InputBinding.resolve(workflow)
    let (text, problems) = WorkflowPreview(workflow: workflow, inputs: inputs).render()
    #expect(problems.isEmpty, "\(problems.map(\.description))")
    #expect(text.hasPrefix("\(workflow.name) · preview of every prompt, no model is called\n"))
}

@Test func weeklyReportNumbersAreComputedExactly() throws {
    let workflow = try WorkflowLoader.load(path: repositoryRoot.appendingPathComponent("Workflows/weekly-report.yaml").path)
    let csv = repositoryRoot.appendingPathComponent("Examples/metrics/weekly-metrics.csv").path
    let inputs = try InputBinding.resolve(workflow, values: ["metrics": .string(csv), "week": "2026-W45"])
    let (text, problems) = WorkflowPreview(workflow: workflow, inputs: inputs).render()
    #expect(problems.isEmpty)
    #expect(text.contains("""
        | 채널 | 캠페인 | 노출 | 클릭 | CTR | 집행액(원) | CPC(원) |
        |---|---|---:|---:|---:|---:|---:|
        | youtube | hanbit-spring | 201,300 | 3,950 | 1.96% | 2,400,000 | 608 |
        | instagram | hanbit-spring | 262,800 | 5,840 | 2.22% | 1,800,000 | 308 |
        | naver | saesol-ai-center | 101,200 | 2,540 | 2.51% | 900,000 | 354 |
        | **합계** | | **565,300** | **12,330** | **2.18%** | **5,100,000** | |

        - 채널 평균 클릭: 4,110회
        - 직전 주(2026-W44) 대비 클릭: 14.9%
        """))
    #expect(text.contains("""
        --- file weekly-report/2026-W45.csv ---
        week,channel,impressions,clicks,ctr,spend_krw,cpc_krw
        2026-W45,youtube,201300,3950,0.0196,2400000,608
        2026-W45,instagram,262800,5840,0.0222,1800000,308
        2026-W45,naver,101200,2540,0.0251,900000,354
        """))
}

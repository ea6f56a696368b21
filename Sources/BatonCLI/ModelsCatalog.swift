import Foundation
import Providers
import Runtime

/// What `baton models` lists: the GGUF files and embedding models in the model folder, read from
/// their own metadata without loading weights, and the servers of the user's config.
struct ModelsCatalog {
    /// One GGUF file in the model folder.
    struct LocalModel {
        var file: String
        var path: String
        var size: Int
        var architecture: String?
        var name: String?
        var parameters: Int?
        var quantization: String?
        var context: Int?
        var license: String?
        var chatTemplate: Bool
        /// Why the file could not be read (the other fields are then empty).
        var problem: String?
    }

    var folder: String
    var local: [LocalModel]
    /// Embedding model folders (holding `model.safetensors`) by name.
    var embedding: [(name: String, path: String)]
    var config: UserConfig

    init(environment: [String: String], config: UserConfig) {
        let folder = LocalLanguageModel.modelFolder(environment: environment)
        self.folder = folder
        self.config = config
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        local = names.filter { $0.hasSuffix(".gguf") }.map { ModelsCatalog.describe(file: $0, path: folder + "/" + $0) }
        embedding = names.filter { FileManager.default.fileExists(atPath: folder + "/" + $0 + "/model.safetensors") }
            .map { (name: $0, path: folder + "/" + $0) }
    }

    /// Reads one GGUF's header; a damaged file is listed with its problem instead of failing the list.
    static func describe(file: String, path: String) -> LocalModel {
        // The size of the file itself, through a symbolic link (a model linked from a pip package).
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let size = ((try? FileManager.default.attributesOfItem(atPath: target))?[.size] as? NSNumber)?.intValue ?? 0
        var model = LocalModel(file: file, path: path, size: size, chatTemplate: false)
        let gguf: GGUFFile
        do { gguf = try GGUFFile(path: path) } catch {
            model.problem = error.description
            return model
        }
        let arch = gguf.string("general.architecture")
        model.architecture = arch
        model.name = gguf.string("general.name")
        model.parameters = gguf.tensors.reduce(0) { $0 + $1.elementCount }
        model.context = arch.flatMap { gguf.int("\($0).context_length") }
        model.license = ModelLicense(file: gguf)?.identifier
        model.chatTemplate = gguf.string("tokenizer.chat_template") != nil
        model.quantization = gguf.int("general.file_type").flatMap { fileTypeNames[$0] } ?? dominantType(gguf)
        return model
    }

    /// llama.cpp's `general.file_type` values (`llama_ftype`) and their usual names.
    static let fileTypeNames: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S", 12: "Q3_K_M",
        13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS",
        21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
        29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    ]

    /// The tensor type holding most bytes, for files without `general.file_type`.
    static func dominantType(_ file: GGUFFile) -> String? {
        var bytes: [String: Int] = [:]
        for tensor in file.tensors { bytes[tensor.type.name, default: 0] += tensor.byteCount }
        return bytes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    /// Parameters as people say them: `135M`, `7.2B`.
    static func formatCount(_ count: Int) -> String {
        switch count {
        case ..<1_000_000: return String(count)
        case ..<1_000_000_000: return String(format: "%.0fM", Double(count) / 1e6)
        default: return String(format: "%.1fB", Double(count) / 1e9)
        }
    }

    /// Bytes as `98 MB`, `1.2 GB`.
    static func formatSize(_ bytes: Int) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }
}

import CommandKit
import Foundation
import Runtime

/// `baton model info PATH [--json]`: what a GGUF file holds — architecture, parameter count,
/// tensor types, context length, chat template — read without loading the weights.
struct ModelInfoCommand: TableCommand {
    static let abstract = "Summarize a GGUF file's metadata and tensors."
    static let options = OptionTable("baton model info", [
        .positional("PATH"),
        .flag("json", help: "Print one JSON object (metadata summary and every tensor)."),
        .flag("tensors", help: "Also list every tensor (name, type, shape) in the text output."),
    ])
    static let discussion = """
        Opens and validates the GGUF file at PATH and prints its architecture, parameter count,
        tensor types, context length and whether it carries a chat template.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
            throw UsageError(message: "expected one PATH", usage: usage)
        }
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch {
            printError(error.description)
            return 1
        }
        let arch = file.string("general.architecture") ?? "unknown"
        let parameters = file.tensors.reduce(0) { $0 + $1.elementCount }
        var typeCounts: [String: Int] = [:]
        for tensor in file.tensors { typeCounts[tensor.type.name, default: 0] += 1 }
        let context = file.int("\(arch).context_length")
        let hasTemplate = file.string("tokenizer.chat_template") != nil
        if parsed.flag("json") {
            var object: [String: Any] = [
                "path": path, "version": Int(file.version), "architecture": arch,
                "parameters": parameters, "tensor_count": file.tensors.count,
                "tensor_types": typeCounts, "chat_template": hasTemplate,
                "metadata_count": file.metadata.count, "file_size": file.fileSize,
            ]
            if let name = file.string("general.name") { object["name"] = name }
            if let license = ModelLicense(file: file) {
                object["license"] = license.identifier
                object["license_non_commercial"] = license.isNonCommercial
                if license.isNonCommercial { printError("warning: \(path): the model's license (\(license.summary)) does not allow commercial use") }
            }
            if let context { object["context_length"] = context }
            if let model = file.string("tokenizer.ggml.model") {
                var tokenizer: [String: Any] = ["model": model, "tokens": file.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? 0]
                if let pre = file.string("tokenizer.ggml.pre") { tokenizer["pre"] = pre }
                object["tokenizer"] = tokenizer
            }
            object["tensors"] = file.tensors.map { tensor -> [String: Any] in
                ["name": tensor.name, "type": tensor.type.name, "shape": tensor.shape,
                 "offset": tensor.offset, "bytes": tensor.byteCount]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            printOut(String(decoding: data, as: UTF8.self))
            return 0
        }
        var lines = [
            "file: \(path)",
            "gguf version: \(file.version)",
            "architecture: \(arch)",
        ]
        if let name = file.string("general.name") { lines.append("name: \(name)") }
        if let license = ModelLicense(file: file) {
            lines.append("license: \(license.summary)" + (license.isNonCommercial ? " (non-commercial)" : ""))
            if license.isNonCommercial { printError("warning: \(path): the model's license (\(license.summary)) does not allow commercial use") }
        }
        lines.append("parameters: \(parameters)")
        lines.append("context length: \(context.map(String.init) ?? "unknown")")
        lines.append("chat template: \(hasTemplate ? "yes" : "no")")
        if let model = file.string("tokenizer.ggml.model") {
            let size = file.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count ?? 0
            let pre = file.string("tokenizer.ggml.pre").map { ", pre \($0)" } ?? ""
            lines.append("tokenizer: \(model)\(pre), \(size) tokens")
        }
        let types = typeCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("tensors: \(file.tensors.count)" + (types.isEmpty ? "" : " (\(types))"))
        lines.append("metadata entries: \(file.metadata.count)")
        if parsed.flag("tensors") {
            for tensor in file.tensors {
                lines.append("  \(tensor.name) \(tensor.type.name) [\(tensor.shape.map(String.init).joined(separator: ", "))]")
            }
        }
        printOut(lines.joined(separator: "\n"))
        return 0
    }
}

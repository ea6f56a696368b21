import CommandKit
import Foundation
import Providers
import Workflow

/// `baton validate FILE...`: loads and checks workflows like a compiler, every problem at once.
struct ValidateCommand: TableCommand {
    static let abstract = "Check workflow files and report every problem with file:line:col."
    static let options = OptionTable("baton validate", [
        .positional("FILE|FOLDER", repeatable: true),
        .flag("json", help: #"Print one JSON object per run to stdout: {"valid": BOOL, "files": [{"file", "valid", "name", "steps", "diagnostics": [{"file", "line", "column", "message"}]}]}"#),
    ])
    static let discussion = """
        Loads each workflow (a FOLDER stands for every .yaml/.yml file in it) and checks it: YAML syntax, unknown keys, value types, durations, cron
        strings, template syntax, references to inputs, steps, models and knowledge bases, and
        dependency cycles, all in one pass. Problems are printed to stderr, sorted by position:

          FILE:LINE:COL: error: MESSAGE
          <source line>
              ^

        A valid workflow that names a local model file, LoRA adapter or knowledge database that
        does not exist here gets a warning (FILE:LINE:COL: warning: ...); it still counts as valid.
        """
    static let epilogue = "EXIT STATUS: 0 when every file is valid, 1 otherwise, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard !parsed.positionals.isEmpty else { throw UsageError(message: "'baton validate' needs at least one FILE", usage: usage) }
        var reports: [[String: Any]] = []
        var allValid = true
        for file in expandFolders(parsed.positionals) {
            do {
                let workflow = try WorkflowLoader.load(path: file)
                let warnings = ResourceCheck.warnings(workflow, defaultModel: LocalLanguageModel.defaultFileName)
                if !parsed.flag("json") {
                    for warning in warnings { printError(warning.description) }
                    let noted = warnings.isEmpty ? "" : ", \(count(warnings.count, "warning"))"
                    printOut("\(file): ok (\(workflow.name): \(count(workflow.steps.count, "step")), \(count(workflow.inputs.count, "input"))\(noted))")
                }
                reports.append(["file": file, "valid": true, "name": workflow.name, "steps": workflow.steps.count, "diagnostics": [Any](),
                                "warnings": warnings.map(json)])
            } catch {
                allValid = false
                if !parsed.flag("json") {
                    printError(error.description)
                    printError("\(file): \(error.summary)")
                }
                reports.append(["file": file, "valid": false, "diagnostics": error.diagnostics.map(json)])
            }
        }
        if parsed.flag("json") {
            let object: [String: Any] = ["valid": allValid, "files": reports]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            printOut(String(decoding: data, as: UTF8.self))
        }
        return allValid ? 0 : 1
    }

    /// The paths with each folder replaced by its workflow files, sorted.
    static func expandFolders(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            let folder = path.hasSuffix("/") ? path : path + "/"
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { folder + $0 }
        }
    }

    static func json(_ diagnostic: Diagnostic) -> [String: Any] {
        var object: [String: Any] = ["message": diagnostic.message]
        if let location = diagnostic.location {
            object["file"] = location.file
            object["line"] = location.line
            object["column"] = location.column
        }
        return object
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

import Base
import Documents
import Foundation
import YAML
import Template

/// Turns the inputs a run is given (command-line strings, a JSON/YAML file, schedule values)
/// into typed template values, checked against the workflow's `inputs:`.
///
/// Precedence: declared `default` < values file (`--inputs`) < `--input key=value`. File inputs
/// are read as UTF-8 text; `key=@path` reads any input's value from a file.
public enum InputBinding {
    /// One `--input` argument: `key=value` or `key=@path`.
    public struct Assignment: Sendable, Equatable {
        public var name: String
        /// The text after `=`, or the path after `=@`.
        public var text: String
        /// Whether the value is the content of the file at `text` (`key=@path`).
        public var fromFile: Bool

        public init(name: String, text: String, fromFile: Bool = false) {
            self.name = name
            self.text = text
            self.fromFile = fromFile
        }

        /// Parses `key=value` / `key=@path`; nil when there is no `=` or no key.
        public init?(parsing argument: String) {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
            name = String(argument[..<equals])
            let rest = argument[argument.index(after: equals)...]
            fromFile = rest.hasPrefix("@")
            text = String(fromFile ? rest.dropFirst() : rest)
        }
    }

    /// The input values of a run of `workflow`.
    ///
    /// - Parameters:
    ///   - assignments: `--input` arguments, strings converted to each input's type.
    ///   - values: typed values from an inputs file or a schedule.
    ///   - valuesAreWritten: `values` come from the workflow file itself (a schedule's
    ///     `inputs:`), so their file paths resolve against the workflow's folder like a default's;
    ///     values from an inputs file or the console are command-line values (working directory).
    ///   - readFile: reads a file's text (file inputs and `@path`); injected so tests and the
    ///     scheduler can resolve paths their own way.
    /// - Throws: every problem at once: unknown names ("did you mean"), wrong types, enum values
    ///   outside the list, missing required inputs, unreadable files.
    public static func resolve(_ workflow: Workflow, assignments: [Assignment] = [], values: [String: Value] = [:],
                               valuesAreWritten: Bool = false,
                               readFile: (String) throws -> String = InputBinding.readTextFile) throws(WorkflowDiagnostics) -> [String: Value] {
        var problems: [Diagnostic] = []
        var result: [String: Value] = [:]
        let names = workflow.inputs.map(\.name)
        var given: [String: Value] = values
        for assignment in assignments {
            guard let spec = workflow.input(assignment.name) else { continue }
            var text = assignment.text
            if assignment.fromFile, spec.type != .file {
                do {
                    text = try readFile(assignment.text)
                } catch {
                    problems.append(Diagnostic(location: nil, message: "cannot read '\(assignment.text)' for input '\(spec.name)': \(describe(error))"))
                    continue
                }
            }
            switch convert(text, to: spec.type) {
            case .success(let value): given[spec.name] = value
            case .failure(let problem): problems.append(Diagnostic(location: nil, message: "input '\(spec.name)' \(problem.text)"))
            }
        }
        for name in Set(values.keys).union(assignments.map(\.name)).sorted() where workflow.input(name) == nil {
            problems.append(Diagnostic(location: nil, message: "unknown input '\(name)'\(Suggestion.hint(for: name, in: names))"))
        }
        let commandLine = Set(assignments.map(\.name)).union(valuesAreWritten ? [] : Set(values.keys))
        for spec in workflow.inputs {
            guard var value = given[spec.name] ?? spec.defaultValue else {
                if spec.required {
                    problems.append(Diagnostic(location: nil, message: "missing required input '\(spec.name)' (\(spec.type))"))
                } else {
                    result[spec.name] = Value.none
                }
                continue
            }
            if let problem = problem(with: value, for: spec.type) {
                problems.append(Diagnostic(location: nil, message: "input '\(spec.name)' \(problem)"))
                continue
            }
            // A required text given as nothing is almost always a slip (`--input product=`);
            // an input that may be empty says so with `required: false` or a default.
            if spec.required, spec.type == .string, given[spec.name] != nil, case .string(let text) = value,
               text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append(Diagnostic(location: nil, message: "input '\(spec.name)' is empty; give it a value (an input that may be empty is declared 'required: false')"))
                continue
            }
            value = coerced(value, to: spec.type)
            // A path written in the workflow (a default, a schedule's value) is relative to the
            // workflow's folder; one given on the command line to the working directory.
            if spec.type == .path, case .string(let path) = value {
                value = .string(commandLine.contains(spec.name) ? workingDirectoryPath(path, for: workflow) : workflow.resolve(path))
            }
            if spec.type == .file, case .string(let path) = value {
                let located = commandLine.contains(spec.name) ? path : workflow.resolve(path)
                do {
                    value = .string(try readFile(located))
                } catch {
                    problems.append(Diagnostic(location: nil, message: "cannot read file '\(path)' for input '\(spec.name)': \(describe(error))"))
                    continue
                }
            }
            result[spec.name] = value
        }
        if !problems.isEmpty { throw WorkflowDiagnostics(problems) }
        return result
    }

    /// A command-line path as the workflow's paths see it: as given when the workflow's folder
    /// is the working directory, else absolute (against the working directory), since relative
    /// paths in the workflow resolve against its own folder.
    static func workingDirectoryPath(_ path: String, for workflow: Workflow) -> String {
        guard workflow.directory != nil, !path.hasPrefix("/"), !path.isEmpty, path != "-" else { return path }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path).standardizedFileURL.path
    }

    /// Reads a text file in UTF-8 or CP949/EUC-KR (what Korean Windows saves); other bytes are an
    /// error naming their offset, not silently replaced. A DOCX, PPTX, XLSX, PDF or HWPX file
    /// gives its text as Markdown (through `Documents`). `-` reads standard input
    /// (`--input brief=@-`), so a value can be piped in.
    @Sendable public static func readTextFile(_ path: String) throws -> String {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            do { return try TextDecoding.decode([UInt8](data), file: "standard input").text } catch {
                throw Diagnostic(location: nil, message: error.description)
            }
        }
        if let document = try StepFileReader.document(path) { return document.text }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do { return try TextDecoding.decode([UInt8](data), file: path).text } catch {
            throw Diagnostic(location: nil, message: error.description)
        }
    }

    /// A values file (`--inputs vars.json|yaml`, `--vars`): a JSON or YAML mapping of names to values.
    public static func values(fromFile path: String) throws(WorkflowDiagnostics) -> [String: Value] {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw WorkflowDiagnostics([Diagnostic(location: nil, message: "cannot read '\(path)': \(describe(error))")])
        }
        if path.lowercased().hasSuffix(".json") {
            // JSON through the Template module's own reader, so numbers keep Python's int/float split.
            do {
                if case .dict(let dictionary) = try Value(json: Data(text.utf8)) {
                    var values: [String: Value] = [:]
                    for key in dictionary.keys { values[key] = dictionary[key] }
                    return values
                }
            } catch {
                throw WorkflowDiagnostics([Diagnostic(location: nil, message: "'\(path)' is not valid JSON: \(describe(error))")])
            }
            throw WorkflowDiagnostics([Diagnostic(location: nil, message: "'\(path)' must hold a JSON object of names to values")])
        }
        let node: Node
        do {
            node = try YAMLParser.parse(text, file: path)
        } catch {
            throw WorkflowDiagnostics([Diagnostic(location: SourceLocation(file: path, line: error.mark.line, column: error.mark.column),
                                                  message: error.message, sourceLine: error.sourceLine)])
        }
        guard let entries = node.mapping else {
            throw WorkflowDiagnostics([Diagnostic(location: SourceLocation(file: path, line: node.mark.line, column: node.mark.column),
                                                  message: "expected a mapping of names to values")])
        }
        let decoder = WorkflowDecoder(file: path, source: text)
        var values: [String: Value] = [:]
        for entry in entries {
            values[entry.key.scalar?.value ?? ""] = decoder.literalValue(entry.value)
        }
        return values
    }

    struct Problem: Error { var text: String }

    /// A command-line string as a value of `type`.
    static func convert(_ text: String, to type: InputType) -> Result<Value, Problem> {
        switch type {
        case .string, .file, .path:
            return .success(.string(text))
        case .integer:
            guard let int = Int(text.trimmingWhitespace()) else { return .failure(Problem(text: "must be an integer, found '\(text)'")) }
            return .success(.int(int))
        case .number:
            let trimmed = text.trimmingWhitespace()
            if let int = Int(trimmed) { return .success(.int(int)) }
            guard let double = Double(trimmed), double.isFinite else { return .failure(Problem(text: "must be a number, found '\(text)'")) }
            return .success(.double(double))
        case .boolean:
            switch text.trimmingWhitespace().lowercased() {
            case "true", "yes", "1", "on": return .success(.bool(true))
            case "false", "no", "0", "off": return .success(.bool(false))
            default: return .failure(Problem(text: "must be true or false, found '\(text)'"))
            }
        case .enumeration(let values):
            guard values.contains(text) else {
                return .failure(Problem(text: "must be one of \(values.joined(separator: ", ")), found '\(text)'\(Suggestion.hint(for: text, in: values))"))
            }
            return .success(.string(text))
        case .list(let items):
            let trimmed = text.trimmingWhitespace()
            var elements: [Value]
            if trimmed.hasPrefix("["), let parsed = try? Value(json: Data(trimmed.utf8)), case .list(let list) = parsed {
                elements = list
            } else {
                elements = trimmed.isEmpty ? [] : trimmed.split(separator: ",").map { .string(String($0).trimmingWhitespace()) }
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    guard case .string(let itemText) = element else { continue }
                    switch convert(itemText, to: items) {
                    case .success(let value): elements[index] = value
                    case .failure(let problem): return .failure(Problem(text: "item \(index + 1) \(problem.text)"))
                    }
                }
            }
            return .success(.list(elements))
        }
    }

    /// What is wrong with a typed `value` for `type` ("must be an integer, found 'many'"), or nil.
    static func problem(with value: Value, for type: InputType) -> String? {
        switch (type, value) {
        case (.string, .string), (.string, .int), (.string, .double), (.string, .bool): return nil
        case (.file, .string), (.path, .string): return nil
        case (.integer, .int): return nil
        case (.number, .int), (.number, .double): return nil
        case (.boolean, .bool): return nil
        case (.enumeration(let values), .string(let text)):
            return values.contains(text) ? nil : "must be one of \(values.joined(separator: ", ")), found '\(text)'\(Suggestion.hint(for: text, in: values))"
        case (.list(let items), .list(let elements)):
            guard let items else { return nil }
            for (index, element) in elements.enumerated() {
                if let problem = problem(with: element, for: items) { return "item \(index + 1) \(problem)" }
            }
            return nil
        default:
            let expected: String
            switch type {
            case .string: expected = "a string"
            case .file: expected = "a file path"
            case .path: expected = "a path"
            case .integer: expected = "an integer"
            case .number: expected = "a number"
            case .boolean: expected = "true or false"
            case .enumeration(let values): expected = "one of \(values.joined(separator: ", "))"
            case .list: expected = "a list"
            }
            return "must be \(expected), found \(describe(value))"
        }
    }

    /// `value` in the canonical form of `type` (numbers and booleans given to a string input become text).
    static func coerced(_ value: Value, to type: InputType) -> Value {
        guard type == .string || type == .file else { return value }
        switch value {
        case .int(let int): return .string(String(int))
        case .double(let double): return .string(String(double))
        case .bool(let bool): return .string(bool ? "true" : "false")
        default: return value
        }
    }

    /// How a value is named in messages.
    static func describe(_ value: Value) -> String {
        switch value {
        case .none: return "nothing"
        case .bool(let bool): return bool ? "true" : "false"
        case .int(let int): return String(int)
        case .double(let double): return String(double)
        case .string(let text): return "'\(text.replacingNewlines())'"
        case .list: return "a list"
        case .dict: return "a mapping"
        }
    }

    /// Why reading a file failed, in plain words (never Foundation's error texts).
    public static func describe(_ error: any Error) -> String {
        if let diagnostic = error as? Diagnostic { return diagnostic.message }
        return SystemErrorText.describe(error)
    }
}

extension Workflow {
    /// The run's input values from command-line style strings (`["count": "3", "brief": "@brief.md"]`,
    /// a leading `@` reading the value from that file) and typed values (an inputs file, a
    /// schedule's `inputs`); see `InputBinding.resolve`.
    public func resolveInputs(_ strings: [String: String] = [:], values: [String: Value] = [:],
                              readFile: (String) throws -> String = InputBinding.readTextFile) throws(WorkflowDiagnostics) -> [String: Value] {
        let assignments = strings.keys.sorted().compactMap { name -> InputBinding.Assignment? in
            guard let text = strings[name] else { return nil }
            return text.hasPrefix("@") ? InputBinding.Assignment(name: name, text: String(text.dropFirst()), fromFile: true)
                                       : InputBinding.Assignment(name: name, text: text)
        }
        return try InputBinding.resolve(self, assignments: assignments, values: values, readFile: readFile)
    }
}

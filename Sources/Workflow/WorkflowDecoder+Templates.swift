import Base
import YAML
import Template

/// Which names a template may read besides `inputs`, `steps`, `models`, `knowledge` and `run`,
/// and who owns it (for messages: `step 'copy'`, `output 'slogans'`).
struct TemplateScope {
    var owner: String
    var locals: [String] = []

    /// Names every template can read.
    static let roots = ["inputs", "steps", "models", "knowledge", "run"]
    /// Names Jinja itself provides; never workflow references.
    static let jinjaGlobals: Set<String> = ["loop", "range", "namespace", "raise_exception", "dict", "lipsum", "cycler", "joiner",
                                            "true", "false", "none", "True", "False", "None", "self", "varargs", "kwargs"]
}

extension WorkflowDecoder {
    /// Parses the template in `node`, reporting syntax errors and unknown names at their place in
    /// the file. `bareExpression`: a text without `{{`/`{%` is an expression (`when`, `for_each`).
    mutating func template(_ node: Node?, _ key: String, scope: TemplateScope, bareExpression: Bool = false) -> TemplateField? {
        guard let node else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            error("expected a template string for '\(key)', found \(describe(node))", at: node.mark)
            return nil
        }
        let text = scalar.value
        var templateSource = text
        var expression: String?
        var prefixLength = 0
        if bareExpression, !text.contains("{{"), !text.contains("{%") {
            templateSource = "{{ " + text + " }}"
            expression = text
            prefixLength = 3
        } else {
            expression = WorkflowDecoder.singleExpression(text)
        }
        let map = TemplateSourceMap(scalar: scalar, mark: node.mark, lines: lines, file: file, prefixLength: prefixLength)
        let parsed: Template
        do {
            parsed = try Template(templateSource, name: file, undefined: .strict)
        } catch {
            self.error(map.fileMessage(error.message), at: map.location(line: error.line, column: error.column))
            return nil
        }
        var valueTemplate: Template?
        if let expression {
            valueTemplate = try? Template("{{ (" + expression + ") | tojson }}", name: file, undefined: .strict)
        }
        var references: [WorkflowReference] = []
        for reference in parsed.references {
            guard let root = reference.path.first, !TemplateScope.jinjaGlobals.contains(root) else { continue }
            let at = map.location(line: reference.line, column: reference.column)
            let target: WorkflowReference.Target
            switch root {
            case "inputs", "steps", "models", "knowledge":
                guard reference.path.count >= 2 else {
                    let what = ["inputs": "an input's value as inputs.NAME", "steps": "a step's result as steps.ID.output",
                                "models": "a model as models.NAME", "knowledge": "a knowledge base as knowledge.NAME"][root] ?? root
                    error("read \(what), not '\(root)' alone", at: at)
                    continue
                }
                let name = reference.path[1]
                switch root {
                case "inputs": target = .input(name)
                case "steps": target = .step(name)
                case "models": target = .model(name)
                default: target = .knowledge(name)
                }
            case "run":
                target = .local("run")
            default:
                guard scope.locals.contains(root) else {
                    let hint: String
                    if inputNames.contains(root) {
                        hint = " (did you mean 'inputs.\(root)'?)"
                    } else if stepIDs.contains(root) {
                        hint = " (did you mean 'steps.\(root).output'?)"
                    } else {
                        hint = Suggestion.hint(for: root, in: TemplateScope.roots + scope.locals)
                    }
                    error("\(scope.owner) reads unknown name '\(root)'\(hint)", at: at)
                    continue
                }
                target = .local(root)
            }
            references.append(WorkflowReference(target: target, path: reference.path, location: at))
        }
        parsedReferences.append(contentsOf: references.map { (scope.owner, $0) })
        return TemplateField(source: text, location: location(node.mark), template: parsed, references: references,
                             expression: expression, valueTemplate: valueTemplate, sourceMap: map)
    }

    /// The expression inside `{{ ... }}` when that is the whole text (spaces around allowed).
    static func singleExpression(_ text: String) -> String? {
        // Over UTF-8 bytes: this runs for every template of a workflow.
        let bytes = Array(text.utf8)
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard var start = bytes.firstIndex(where: { !blank($0) }), var end = bytes.lastIndex(where: { !blank($0) }) else { return nil }
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        guard end - start >= 3, bytes[start] == open, bytes[start + 1] == open, bytes[end] == close, bytes[end - 1] == close else { return nil }
        start += 2
        end -= 2
        if start <= end, bytes[start] == UInt8(ascii: "-") { start += 1 }
        if start <= end, bytes[end] == UInt8(ascii: "-") { end -= 1 }
        guard start <= end else { return nil }
        let inner = bytes[start...end]
        for index in inner.indices.dropLast() {
            let pair = (inner[index], inner[index + 1])
            if pair == (open, open) || pair == (close, close) || pair == (open, UInt8(ascii: "%")) || pair == (open, UInt8(ascii: "#")) {
                return nil
            }
        }
        let expression = String(decoding: inner, as: UTF8.self).trimmingWhitespace()
        return expression.isEmpty ? nil : expression
    }
}

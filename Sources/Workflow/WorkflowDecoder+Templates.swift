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
        return TemplateField(source: text, location: location(node.mark), template: parsed, references: references,
                             expression: expression, valueTemplate: valueTemplate, sourceMap: map)
    }

    /// The expression inside `{{ ... }}` when that is the whole text (spaces around allowed).
    static func singleExpression(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.count >= 4 else { return nil }
        var inner = String(trimmed.dropFirst(2).dropLast(2))
        if inner.hasPrefix("-") { inner.removeFirst() }
        if inner.hasSuffix("-") { inner.removeLast() }
        guard !inner.contains("{{"), !inner.contains("}}"), !inner.contains("{%"), !inner.contains("{#") else { return nil }
        let expression = inner.trimmingWhitespace()
        return expression.isEmpty ? nil : expression
    }
}

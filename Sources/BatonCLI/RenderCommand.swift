import Base
import CommandKit
import Engine
import Foundation
import Template
import Workflow

/// `baton render`: previews a workflow's prompts without a model, or renders one template file.
struct RenderCommand: TableCommand {
    static let abstract = "Preview every prompt of a workflow (no model), or render one template."
    static let options = OptionTable("baton render", [
        .positional("FILE"),
    ] + CommandArgument.workflowInputs + [
        .option("template", value: "FILE", help: "Render this template file instead of a workflow (then no workflow FILE)."),
        .option("vars", value: "VARS.json|yaml", help: "A JSON or YAML mapping of the template's variables."),
        .flag("lenient", help: "With --template: undefined names render empty (jinja2's default Undefined) instead of being an error (StrictUndefined)."),
    ])
    static let discussion = """
        With a workflow FILE: renders every prompt of the workflow in run order, without calling a
        model. Steps that need no model run for real (read steps read their files, template steps
        render); the outputs of model steps are shown as placeholders such as ⟨steps.copy.output⟩.
        Nothing is written. Input values come from the declared defaults, then --inputs, then --input;
        a required input given nowhere is shown as a placeholder (⟨inputs.NAME⟩), with a note on stderr.

        With --template FILE (baton render --template FILE [--vars VARS.json|yaml] [--lenient]):
        renders that one Jinja template with the variables of --vars and prints the result to stdout
        exactly, with nothing added (no trailing newline of its own), so it can be compared byte for
        byte with Python's jinja2.
        """
    static let epilogue = "EXIT STATUS: 0 on success, 1 when a template or input fails, 64 on a usage error."

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        if let templateFile = parsed.value("template") {
            guard parsed.positionals.isEmpty, parsed.values("input").isEmpty, parsed.value("inputs") == nil else {
                throw UsageError(message: "--template takes no workflow FILE, --input or --inputs (use --vars)", usage: usage)
            }
            return renderTemplate(templateFile, vars: parsed.value("vars"), lenient: parsed.flag("lenient"))
        }
        guard parsed.positionals.count == 1, let file = parsed.positionals.first else {
            throw UsageError(message: parsed.positionals.isEmpty ? "'baton render' needs a workflow FILE or --template FILE"
                                                                 : "'baton render' previews one workflow at a time", usage: usage)
        }
        if parsed.value("vars") != nil || parsed.flag("lenient") {
            throw UsageError(message: "--vars and --lenient go with --template", usage: usage)
        }
        let assignments = try parsed.inputAssignments(usage: usage)
        do {
            let workflow = try WorkflowLoader.load(path: file)
            let values = try parsed.inputFileValues()
            // Required inputs nobody gave are previewed as placeholders, not refused: a prompt
            // author wants to see the prompts before having every value at hand.
            var previewed = workflow
            var missing: [String] = []
            for index in previewed.inputs.indices {
                let spec = previewed.inputs[index]
                if spec.required, spec.defaultValue == nil, values[spec.name] == nil, !assignments.contains(where: { $0.name == spec.name }) {
                    previewed.inputs[index].required = false
                    missing.append(spec.name)
                }
            }
            var inputs = try InputBinding.resolve(previewed, assignments: assignments, values: values)
            for name in missing {
                inputs[name] = .string("⟨inputs.\(name)⟩")
                printError("note: input '\(name)' is not given; shown as ⟨inputs.\(name)⟩")
            }
            var preview = WorkflowPreview(workflow: workflow, inputs: inputs)
            preview.recipeMessages = { action, context in try PromptPreview.messages(action, context: context, workflow: workflow) }
            let (text, problems) = preview.render()
            printOut(text, terminator: "")
            for problem in problems { printError(problem.description) }
            return problems.isEmpty ? 0 : 1
        } catch {
            printError(error.description)
            return 1
        }
    }

    /// Renders one template file to stdout, byte for byte.
    static func renderTemplate(_ path: String, vars: String?, lenient: Bool) -> Int32 {
        let source: String
        do {
            source = try InputBinding.readTextFile(path)
        } catch {
            printError("error: cannot read '\(path)': \(InputBinding.describe(error))")
            return 1
        }
        var context: [String: Value] = [:]
        if let vars {
            do {
                context = try InputBinding.values(fromFile: vars)
            } catch {
                printError(error.description)
                return 1
            }
        }
        do {
            let template = try Template(source, name: path, undefined: lenient ? .lenient : .strict)
            let output = try template.render(context)
            FileHandle.standardOutput.write(Data(output.utf8))
            return 0
        } catch {
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
            let line = error.line >= 1 && error.line <= lines.count ? String(lines[error.line - 1]) : nil
            let diagnostic = Diagnostic(location: SourceLocation(file: path, line: error.line, column: error.column),
                                        message: error.message, sourceLine: line)
            printError(diagnostic.description)
            return 1
        }
    }
}

import Base
import Foundation
import YAML
import Template
import Cron

/// The top level of a workflow file: version, name, and the sections in order of dependence.
extension WorkflowDecoder {
    static let topKeys = ["baton", "name", "description", "client", "budget", "inputs", "models", "knowledge", "defaults", "steps", "outputs", "schedules"]

    mutating func decodeWorkflow(_ root: Node, source: String) -> Workflow? {
        guard let fields = fields(root, "the workflow", allowed: WorkflowDecoder.topKeys) else { return nil }
        var version = 1
        if let node = fields["baton"] {
            if let number = node.scalar.flatMap({ Int($0.value) }), Workflow.supportedVersions.contains(number) {
                version = number
            } else {
                error("unsupported workflow language version \(describe(node)) (this Baton reads 'baton: 1')", at: node.mark)
            }
        } else {
            error("missing required key 'baton' (the language version: write 'baton: 1' first)", at: root.mark)
        }
        let fallbackName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let name = fields.has("name") ? nonEmpty(fields["name"], "name") ?? fallbackName : fallbackName
        let description = string(fields["description"], "description")
        let client = fields.has("client") ? nonEmpty(fields["client"], "client") : nil
        let budget = decodeBudget(fields["budget"])

        inputNames = Set((fields["inputs"]?.mapping ?? []).compactMap { $0.key.scalar?.value })
        let inputs = decodeInputs(fields["inputs"])
        let declaredSteps = WorkflowDecoder.declaredStepIDs(fields["steps"])
        stepIDs = Set(declaredSteps.map(\.id))
        redoTargets = WorkflowDecoder.declaredRedoTargets(fields["steps"])
        let models = decodeModels(fields["models"])
        let knowledge = decodeKnowledge(fields["knowledge"])
        var defaults = decodeDefaults(fields["defaults"])
        if let modelNode = fields["defaults"]?["model"], defaults.model != nil {
            defaults.model = modelName(modelNode, models: models, what: "defaults")
        }
        var steps: [Step] = []
        if let stepsNode = fields["steps"] {
            steps = decodeSteps(stepsNode, defaults: defaults, models: models, knowledge: knowledge)
        } else {
            error("missing required key 'steps' (the list of steps to run)", at: root.mark)
        }
        let outputs = decodeOutputs(fields["outputs"])
        let schedules = decodeSchedules(fields["schedules"], inputs: inputs)

        var workflow = Workflow(file: file, source: source, version: version, name: name, description: description, inputs: inputs,
                                models: models, knowledge: knowledge, defaults: defaults, steps: steps, outputs: outputs,
                                schedules: schedules, budget: budget, client: client)
        check(&workflow, declaredSteps: declaredSteps)
        return workflow
    }

    mutating func decodeOutputs(_ node: Node?) -> Outputs {
        guard let node, node.scalar?.isNull != true else { return Outputs() }
        var outputs = Outputs()
        for (name, _, value) in namedEntries(node, "outputs") {
            if name == "files" {
                outputs.files = decodeFiles(value, scope: TemplateScope(owner: "outputs"))
            } else if let field = template(value, name, scope: TemplateScope(owner: "output '\(name)'")) {
                outputs.values.append(OutputValue(name: name, value: field))
            }
        }
        return outputs
    }

    static let scheduleKeys = ["id", "cron", "timezone", "inputs", "overlap", "catchup"]

    mutating func decodeSchedules(_ node: Node?, inputs: [InputSpec]) -> [Schedule] {
        guard let node, node.scalar?.isNull != true else { return [] }
        guard let items = node.sequence else {
            error("expected a list of schedules for 'schedules', found \(describe(node))", at: node.mark)
            return []
        }
        var schedules: [Schedule] = []
        for (index, item) in items.enumerated() {
            let id = item["id"]?.scalar?.value ?? "schedule-\(index + 1)"
            let what = "schedule '\(id)'"
            guard let fields = fields(item, what, allowed: WorkflowDecoder.scheduleKeys) else { continue }
            guard let cronNode = fields["cron"] else {
                error("\(what) is missing required key 'cron'", at: item.mark)
                continue
            }
            let cron = nonEmpty(cronNode, "cron")
            let expression = cron.flatMap { cronExpression($0, node: cronNode) }
            var timezone: String?
            if let zoneNode = fields["timezone"], let zone = nonEmpty(zoneNode, "timezone") {
                if TimeZone(identifier: zone) == nil {
                    let known = TimeZone.knownTimeZoneIdentifiers
                    error("unknown time zone '\(zone)' (an IANA name such as Asia/Seoul)\(Suggestion.hint(for: zone, in: known))", at: zoneNode.mark)
                } else {
                    timezone = zone
                }
            }
            var values: [String: Value] = [:]
            if let inputsNode = fields["inputs"] {
                for (name, key, value) in namedEntries(inputsNode, "inputs") {
                    guard let spec = inputs.first(where: { $0.name == name }) else {
                        error("\(what) gives unknown input '\(name)'\(Suggestion.hint(for: name, in: inputs.map(\.name)))", at: key.mark)
                        continue
                    }
                    if let checked = checkedValue(value, type: spec.type, what: "input '\(name)' of \(what)") { values[name] = checked }
                }
            }
            for spec in inputs where spec.required && spec.defaultValue == nil && values[spec.name] == nil && fields["inputs"]?[spec.name] == nil {
                error("\(what) does not give required input '\(spec.name)'", at: item.mark)
            }
            guard let cron, let expression else { continue }
            schedules.append(Schedule(id: id, cron: cron, expression: expression, timezone: timezone, inputs: values,
                                      overlap: choice(fields["overlap"], "overlap", as: Schedule.Overlap.self) ?? .skip,
                                      catchup: choice(fields["catchup"], "catchup", as: Schedule.Catchup.self) ?? .latest,
                                      location: location(item.mark)))
        }
        return schedules
    }

    /// The parsed cron expression, or a diagnostic at the column the Cron module names.
    mutating func cronExpression(_ text: String, node: Node) -> CronExpression? {
        do {
            return try CronExpression(text)
        } catch {
            let at: SourceLocation
            if let scalar = node.scalar {
                at = TemplateSourceMap(scalar: scalar, mark: node.mark, lines: lines, file: file).location(line: 1, column: error.column)
            } else {
                at = location(node.mark)
            }
            self.error("invalid cron expression '\(text)': \(error.message)", at: at)
            return nil
        }
    }
}

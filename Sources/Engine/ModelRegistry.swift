import Foundation
import Synchronization
import Providers
import Workflow

/// The models of one run, made once per `models:` entry and shared by its steps.
final class ModelRegistry: Sendable {
    /// Held while a model is made, so concurrent steps naming it make it once.
    private let models = Mutex<[String: Result<any LanguageModel, ModelError>]>([:])
    private let workflow: Workflow
    private let configuration: EngineConfiguration

    init(workflow: Workflow, configuration: EngineConfiguration) {
        self.workflow = workflow
        self.configuration = configuration
    }

    /// The effective spec of model `name` (`nil`: the step names none), overrides applied.
    func spec(_ name: String?) -> ModelSpec? {
        let key = name ?? "*"
        let declared = name.flatMap { workflow.model($0) }
        if let remote = configuration.modelOverrides[key] ?? configuration.modelOverrides["*"] {
            return ModelSpec(name: key, provider: .openai(remote), location: declared?.location ?? SourceLocation(file: workflow.file, line: 1, column: 1))
        }
        // A step without a model runs on the default local model (Scripts/setup.sh fetches it).
        if name == nil { return LocalLanguageModel.defaultSpec(file: workflow.file) }
        // Paths written in the workflow resolve against its folder, wherever the run started.
        guard var spec = declared, case .local(var local) = spec.provider else { return declared }
        local.directory = workflow.directory
        spec.provider = .local(local)
        return spec
    }

    /// The model a step uses; made on first use.
    func model(_ name: String?) throws(ModelError) -> any LanguageModel {
        let key = name ?? "*"
        let result: Result<any LanguageModel, ModelError> = models.withLock { models in
            if let cached = models[key] { return cached }
            let made: Result<any LanguageModel, ModelError>
            if let spec = spec(name) {
                do throws(ModelError) {
                    made = .success(try configuration.makeModel(spec, configuration.environment, configuration))
                } catch {
                    made = .failure(error)
                }
            } else {
                made = .failure(ModelError(.configuration, "the step names no model: add 'model:' to it or to 'defaults:', or run with --model '*=URL#MODEL'"))
            }
            models[key] = made
            return made
        }
        return try result.get()
    }

    /// The price of model `name`'s calls, for a cost budget: zero for a local model, the
    /// workflow's `price:` for a server, else the config's price for `identity`; nil when unknown.
    func price(_ name: String?, identity: String) -> ModelPrice? {
        switch spec(name)?.provider {
        case .local?: return ModelPrice(input: 0, output: 0, currency: "")
        case .openai(let remote)?: return remote.price ?? configuration.prices[identity]
        case nil: return configuration.prices[identity]
        }
    }

    /// The API keys of the models in use, which must be masked wherever text is stored or shown.
    func secrets() -> [String] {
        workflow.models.compactMap { spec -> String? in
            guard case .openai(let remote) = self.spec(spec.name)?.provider, let variable = remote.apiKeyEnv else { return nil }
            return configuration.environment[variable]
        } + configuration.modelOverrides.values.compactMap { $0.apiKeyEnv.flatMap { configuration.environment[$0] } }
    }

    /// Whether any step uses a local model (which sets the default concurrency to 1).
    var usesLocalModel: Bool {
        workflow.steps.contains { step in
            guard step.action.usesLanguageModel, case .local? = spec(step.model)?.provider else { return false }
            return true
        }
    }
}

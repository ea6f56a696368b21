import Audit
import Base
import CommandKit
import Engine
import Foundation
import Providers
import Workflow
import YAML

/// The model `-m NAME` means for `baton prompt` and `baton chat`, resolved once:
///
/// - nothing: the `*` entry of `BATON_MODEL_OVERRIDES`, else the config's `default_model`, else
///   the default local GGUF;
/// - `URL#MODEL`: that OpenAI-compatible server (as in `baton run --model`);
/// - `SERVER:MODEL` or `SERVER`: a server of `~/.baton/config.yaml` (its `default_model`);
/// - a GGUF path, or a name in the model folder (`SmolLM2` matches `SmolLM2-135M-Instruct.Q4_1.gguf`).
///
/// Anything else is a usage error with a did-you-mean over the local files and servers.
struct PromptModel: Sendable {
    /// What the run records as the model asked for (`SmolLM2-135M-Instruct.Q4_1.gguf`, `ollama:qwen2.5:7b`).
    var label: String
    var spec: ModelSpec
    /// The API key's value, to mask wherever text is stored.
    var secret: String?
    /// Price per million tokens, when the config names one for this server model.
    var price: UserConfig.Price?

    static func resolve(_ name: String?, config: UserConfig, environment: [String: String], usage: String) throws -> PromptModel {
        let location = SourceLocation(file: config.file ?? "<command line>", line: 1, column: 1)
        func remote(_ label: String, _ model: ModelSpec.RemoteModel, price: UserConfig.Price? = nil) -> PromptModel {
            PromptModel(label: label, spec: ModelSpec(name: label, provider: .openai(model), location: location),
                        secret: model.apiKeyEnv.flatMap { environment[$0] }, price: price)
        }
        // `BATON_MODEL_OVERRIDES='*=URL#MODEL'` sends every run of this shell to a server; a
        // prompt without -m follows it like a workflow step without a model does.
        let shellDefault = (environment["BATON_MODEL_OVERRIDES"] ?? "").split(separator: " ")
            .first { $0.hasPrefix("*=") }.map { String($0.dropFirst(2)) }
        guard let name = name ?? shellDefault ?? config.defaultModel else {
            let spec = LocalLanguageModel.defaultSpec(file: "<command line>")
            return PromptModel(label: LocalLanguageModel.defaultFileName, spec: spec)
        }
        if name.hasPrefix("http://") || name.hasPrefix("https://") {
            guard let hash = name.lastIndex(of: "#"), name.index(after: hash) < name.endIndex else {
                throw UsageError(message: "-m: a server is written URL#MODEL, not '\(name)'", usage: usage)
            }
            let url = String(name[..<hash])
            try RunSession.checkBaseURL(url, usage: usage)
            return remote(name, .init(baseURL: url, model: String(name[name.index(after: hash)...])))
        }
        let serverName = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
        if let server = config.server(serverName) {
            let model = name.count > serverName.count ? String(name.dropFirst(serverName.count + 1)) : server.defaultModel
            guard let model, !model.isEmpty else {
                throw UsageError(message: "-m: server '\(server.name)' has no default_model in \(config.file ?? "the config"); write -m \(server.name):MODEL", usage: usage)
            }
            return remote(server.name + ":" + model, .init(baseURL: server.baseURL, model: model, apiKeyEnv: server.apiKeyEnv), price: server.prices[model])
        }
        if name.hasSuffix(".gguf") || FileManager.default.fileExists(atPath: name) {
            return PromptModel(label: name, spec: ModelSpec(name: name, provider: .local(.init(path: name)), location: location))
        }
        let local = localFiles(environment: environment)
        let matches = local.filter { $0.lowercased().hasPrefix(name.lowercased()) }
        if matches.count == 1 {
            return PromptModel(label: matches[0], spec: ModelSpec(name: matches[0], provider: .local(.init(path: matches[0])), location: location))
        }
        if matches.count > 1 {
            throw UsageError(message: "-m: '\(name)' matches several models: \(matches.joined(separator: ", "))", usage: usage)
        }
        let known = local + config.servers.map { $0.name + ":" + ($0.defaultModel ?? "MODEL") }
        // Files are offered by their whole name and by the start `-m` accepts (`SmolLM2`).
        let shortNames = local.map { String($0.prefix { $0 != "-" && $0 != "." }) }
        let hint = Suggestion.hint(for: name, in: shortNames + local.map { String($0.dropLast(5)) } + config.servers.map(\.name))
        let listing = known.isEmpty ? " (no GGUF files in \(LocalLanguageModel.modelFolder(environment: environment)) and no servers in \(UserConfig.path(environment: environment)))" : hint
        throw UsageError(message: "-m: unknown model '\(name)'\(listing); 'baton models' lists them", usage: usage)
    }

    /// For a local model, takes the file's SHA-256 from the store's digest cache (computed once
    /// per file version) so loading it does not hash 98 MB on every prompt; a file that cannot be
    /// read is left to the loader, which reports it.
    func rememberIdentity(store: AuditStore, environment: [String: String]) {
        guard case .local(let local) = spec.provider else { return }
        let path = ModelRunOptions.locate(local.path, environment: environment)
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if let hex = try? store.cachedSHA256(ofFileAt: target) { LocalLanguageModel.remember(sha256: hex, for: path) }
    }

    /// The model `name` names, resolved with the user's config and made (its local file's
    /// identity taken from `store`'s digest cache): what `baton chat` and a rerun of a prompt run
    /// start from. Nil after printing a config file error (exit 1).
    static func open(_ name: String?, store: AuditStore, environment: [String: String], usage: String) throws -> (resolved: PromptModel, model: any LanguageModel)? {
        let resolved: PromptModel
        do {
            resolved = try resolve(name, config: try UserConfig.load(environment: environment), environment: environment, usage: usage)
        } catch let error as YAMLError {
            printError(error.description)
            return nil
        }
        resolved.rememberIdentity(store: store, environment: environment)
        let model = try EngineConfiguration.standardModelFactory(resolved.spec, environment, EngineConfiguration(environment: environment, stream: true))
        return (resolved, model)
    }

    /// The GGUF file names in the model folder, sorted.
    static func localFiles(environment: [String: String]) -> [String] {
        let folder = LocalLanguageModel.modelFolder(environment: environment)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".gguf") }.sorted()
    }
}

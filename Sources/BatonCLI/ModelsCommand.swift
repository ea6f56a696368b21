import CommandKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import YAML

/// `baton models [--json] [--check]`: the local GGUF files, embedding models and configured
/// servers that `-m` and workflows can name.
struct ModelsCommand: TableCommand {
    static let abstract = "List local models and configured servers (-m names)."
    static let options = OptionTable("baton models", [
        .flag("json", help: "One object: {model_folder, local: [...], embedding: [...], servers: [...]}."),
        .flag("check", help: "Ask each server for its /models list; a server that does not answer is reported and the exit status is 1."),
    ])
    static let discussion = """
        Lists the GGUF files in the model folder ($BATON_MODELS, else ~/.baton/models) with what
        their metadata says (architecture, parameters, quantization, size, context length,
        license, whether a chat template is present), the embedding models there, and the
        servers of ~/.baton/config.yaml ($BATON_CONFIG) with their base URL, API key variable,
        default model and prices. 'baton prompt -m NAME' takes a file name (or its start), or
        SERVER:MODEL.
        """

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        let environment = ProcessInfo.processInfo.environment
        let config: UserConfig
        do { config = try UserConfig.load(environment: environment) } catch let error as YAMLError {
            printError(error.description)
            return 1
        }
        let catalog = ModelsCatalog(environment: environment, config: config)
        var checks: [ServerCheck]?
        if parsed.flag("check") {
            var answers: [ServerCheck] = []
            for server in config.servers { answers.append(await ServerCheck.run(server, environment: environment)) }
            checks = answers
        }
        if parsed.flag("json") {
            printOut(json(catalog, checks: checks).rendered())
        } else {
            printOut(text(catalog, checks: checks))
        }
        return checks?.contains { $0.error != nil } == true ? 1 : 0
    }

    static func json(_ catalog: ModelsCatalog, checks: [ServerCheck]?) -> OutputJSON {
        let local = catalog.local.map { model -> OutputJSON in
            .object([("file", .string(model.file)), ("path", .string(model.path)), ("size", .int(model.size)),
                     ("name", .string(model.name)), ("architecture", .string(model.architecture)), ("parameters", .int(model.parameters)),
                     ("quantization", .string(model.quantization)), ("context_length", .int(model.context)),
                     ("license", .string(model.license)), ("chat_template", .bool(model.chatTemplate)), ("error", .string(model.problem))])
        }
        let servers = catalog.config.servers.enumerated().map { index, server -> OutputJSON in
            var fields: [(String, OutputJSON)] = [
                ("name", .string(server.name)), ("base_url", .string(server.baseURL)), ("api_key_env", .string(server.apiKeyEnv)),
                ("default_model", .string(server.defaultModel)),
                ("prices", .object(server.prices.sorted { $0.key < $1.key }.map { model, price in
                    (model, .object([("input", .raw(JSONText.number(price.input))), ("output", .raw(JSONText.number(price.output))),
                                     ("currency", .string(price.currency))]))
                })),
            ]
            if let check = checks?[index] {
                fields.append(("check", .object([("ok", .bool(check.error == nil)), ("models", .array(check.models.map { .string($0) })),
                                                 ("error", .string(check.error))])))
            }
            return .object(fields)
        }
        return .object([("model_folder", .string(catalog.folder)), ("local", .array(local)),
                        ("embedding", .array(catalog.embedding.map { .object([("name", .string($0.name)), ("path", .string($0.path))]) })),
                        ("servers", .array(servers))])
    }

    static func text(_ catalog: ModelsCatalog, checks: [ServerCheck]?) -> String {
        var out = "Local models in \(catalog.folder):\n"
        if catalog.local.isEmpty {
            out += "  (none; Scripts/setup.sh fetches the default SmolLM2-135M-Instruct.Q4_1.gguf)\n"
        } else {
            var rows = [["FILE", "ARCH", "PARAMS", "QUANT", "SIZE", "CONTEXT", "LICENSE", "CHAT"]]
            for model in catalog.local where model.problem == nil {
                rows.append([model.file, model.architecture ?? "-", model.parameters.map(ModelsCatalog.formatCount) ?? "-",
                             model.quantization ?? "-", ModelsCatalog.formatSize(model.size), model.context.map(String.init) ?? "-",
                             model.license ?? "-", model.chatTemplate ? "yes" : "no"])
            }
            if rows.count > 1 {
                out += TextTable.format(rows).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            for model in catalog.local { if let problem = model.problem { out += "  \(model.file): unreadable: \(problem)\n" } }
        }
        if !catalog.embedding.isEmpty {
            out += "\nEmbedding models:\n" + catalog.embedding.map { "  \($0.name)" }.joined(separator: "\n") + "\n"
        }
        let configPath = catalog.config.file ?? UserConfig.path()
        if catalog.config.servers.isEmpty {
            out += "\nServers: none (name them in \(configPath) to use -m SERVER:MODEL)"
        } else {
            out += "\nServers in \(configPath):\n"
            for (index, server) in catalog.config.servers.enumerated() {
                var line = "  \(server.name)  \(server.baseURL)"
                if let model = server.defaultModel { line += "  default \(model)" }
                if let key = server.apiKeyEnv { line += "  key $\(key)" }
                for (model, price) in server.prices.sorted(by: { $0.key < $1.key }) {
                    line += "  \(model) \(JSONText.number(price.input))/\(JSONText.number(price.output)) \(price.currency) per 1M"
                }
                if let check = checks?[index] {
                    line += check.error.map { "  ✗ \($0)" } ?? "  ✓ \(check.models.count) models: \(check.models.joined(separator: ", "))"
                }
                out += line + "\n"
            }
        }
        return out.hasSuffix("\n") ? String(out.dropLast()) : out
    }
}

/// The answer of a server's `GET /models`: its model ids, or why it did not answer.
struct ServerCheck: Sendable {
    var models: [String] = []
    var error: String?

    static func run(_ server: UserConfig.Server, environment: [String: String]) async -> ServerCheck {
        guard let url = URL(string: server.baseURL.hasSuffix("/") ? server.baseURL + "models" : server.baseURL + "/models") else {
            return ServerCheck(error: "not a URL: \(server.baseURL)")
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        if let key = server.apiKeyEnv.flatMap({ environment[$0] }) { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        return await withCheckedContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(returning: ServerCheck(error: "\(url.absoluteString): \(error.localizedDescription)"))
                } else if let status = (response as? HTTPURLResponse)?.statusCode, status != 200 {
                    continuation.resume(returning: ServerCheck(error: "\(url.absoluteString): HTTP \(status)"))
                } else if let object = data.flatMap({ try? JSONSerialization.jsonObject(with: $0) }) as? [String: Any],
                          let list = object["data"] as? [[String: Any]] {
                    continuation.resume(returning: ServerCheck(models: list.compactMap { $0["id"] as? String }))
                } else {
                    continuation.resume(returning: ServerCheck(error: "\(url.absoluteString): the answer is not an OpenAI model list"))
                }
            }.resume()
        }
    }
}

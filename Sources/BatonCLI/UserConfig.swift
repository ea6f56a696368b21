import Base
import Foundation
import Workflow
import YAML

/// The user's settings in `~/.baton/config.yaml` (or `$BATON_CONFIG`): the default model and the
/// OpenAI-compatible servers `-m SERVER:MODEL` names, with their prices.
///
/// ```yaml
/// default_model: ollama:qwen2.5:7b
/// servers:
///   ollama:
///     base_url: http://localhost:11434/v1
///     default_model: qwen2.5:7b
///   openai:
///     base_url: https://api.openai.com/v1
///     api_key_env: OPENAI_API_KEY
///     default_model: gpt-4o-mini
///     prices:
///       gpt-4o-mini: { input: 0.15, output: 0.60, currency: USD }
/// ```
///
/// Read once per command; every problem is a `YAMLError` naming file:line:column, like a workflow's.
struct UserConfig: Sendable, Equatable {
    /// A named server.
    struct Server: Sendable, Equatable {
        var name: String
        var baseURL: String
        var apiKeyEnv: String?
        var defaultModel: String?
        /// Price per million tokens, by model name.
        var prices: [String: Price]
    }

    /// Price per million tokens in and out (the type a workflow's `price:` has too).
    typealias Price = ModelPrice

    var file: String?
    var defaultModel: String?
    var servers: [Server] = []

    /// The config file's path: `$BATON_CONFIG`, else `~/.baton/config.yaml`.
    static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let given = environment["BATON_CONFIG"], !given.isEmpty { return given }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.baton/config.yaml"
    }

    /// The config at `path(environment:)`; an absent file is an empty config.
    static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> UserConfig {
        let path = path(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else { return UserConfig() }
        return try parse(Array(data), file: path)
    }

    /// Decodes the config text; unknown keys are errors so a misspelt `base_ur:` is not ignored.
    static func parse(_ bytes: [UInt8], file: String) throws(YAMLError) -> UserConfig {
        let root = try YAMLParser.parse(bytes, file: file)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        func error(_ node: Node, _ message: String) -> YAMLError {
            let line = node.mark.line - 1
            return YAMLError(file: file, mark: node.mark, message: message, sourceLine: lines.indices.contains(line) ? String(lines[line]) : nil)
        }
        func text(_ node: Node, _ key: String) throws(YAMLError) -> String {
            guard let scalar = node.scalar, !scalar.value.isEmpty else { throw error(node, "'\(key)' must be a text, found a \(node.kindName)") }
            return scalar.value
        }
        func number(_ node: Node, _ key: String) throws(YAMLError) -> Double {
            guard let value = node.scalar.flatMap({ Double($0.value) }), value.isFinite, value >= 0 else {
                throw error(node, "'\(key)' must be a number of at least 0 (price per million tokens)")
            }
            return value
        }
        func entries(_ node: Node, _ what: String, allowed: [String]?) throws(YAMLError) -> [MappingEntry] {
            if node.scalar?.isNull == true { return [] }
            guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping, found a \(node.kindName)") }
            if let allowed {
                for entry in mapping {
                    let key = entry.key.scalar?.value ?? ""
                    if !allowed.contains(key) {
                        throw error(entry.key, "unknown key '\(key)' in \(what)\(Suggestion.hint(for: key, in: allowed)) (expected \(allowed.joined(separator: ", ")))")
                    }
                }
            }
            return mapping
        }
        var config = UserConfig(file: file)
        for entry in try entries(root, "the config file", allowed: ["default_model", "servers"]) {
            switch entry.key.scalar?.value {
            case "default_model"?: config.defaultModel = try text(entry.value, "default_model")
            default:
                for server in try entries(entry.value, "'servers'", allowed: nil) {
                    let name = try text(server.key, "servers")
                    guard !name.contains(":"), !name.contains("/") else { throw error(server.key, "a server name cannot hold ':' or '/' (it is written before ':' in -m NAME:MODEL)") }
                    var made = Server(name: name, baseURL: "", prices: [:])
                    var sawURL = false
                    for field in try entries(server.value, "server '\(name)'", allowed: ["base_url", "api_key_env", "default_model", "prices"]) {
                        switch field.key.scalar?.value {
                        case "base_url"?:
                            made.baseURL = try text(field.value, "base_url")
                            guard let url = URL(string: made.baseURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), !(url.host ?? "").isEmpty else {
                                throw error(field.value, "base_url '\(made.baseURL)' needs http:// or https:// and a host (e.g. http://localhost:11434/v1)")
                            }
                            sawURL = true
                        case "api_key_env"?: made.apiKeyEnv = try text(field.value, "api_key_env")
                        case "default_model"?: made.defaultModel = try text(field.value, "default_model")
                        default:
                            for price in try entries(field.value, "'prices' of server '\(name)'", allowed: nil) {
                                let model = try text(price.key, "prices")
                                var input = 0.0, output = 0.0, currency = "USD"
                                for part in try entries(price.value, "the price of '\(model)'", allowed: ["input", "output", "currency"]) {
                                    switch part.key.scalar?.value {
                                    case "input"?: input = try number(part.value, "input")
                                    case "output"?: output = try number(part.value, "output")
                                    default: currency = try text(part.value, "currency")
                                    }
                                }
                                made.prices[model] = Price(input: input, output: output, currency: currency)
                            }
                        }
                    }
                    guard sawURL else { throw error(server.key, "server '\(name)' needs a base_url") }
                    config.servers.append(made)
                }
            }
        }
        return config
    }

    /// The server called `name`.
    func server(_ name: String) -> Server? { servers.first { $0.name == name } }
}

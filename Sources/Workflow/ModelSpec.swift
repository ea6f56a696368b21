/// A model a workflow can use (`models:` in the YAML), referred to by name from steps and `defaults`.
///
/// ```yaml
/// models:
///   writer: { provider: local, path: SmolLM2-135M-Instruct.Q4_1.gguf, context: 2048, threads: 2,
///             lora: [{ path: adapters/brand-voice.gguf, scale: 0.8 }] }
///   remote: { provider: openai, base_url: "http://localhost:11434/v1", model: "qwen2.5:7b",
///             api_key_env: OPENAI_API_KEY }
/// ```
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    public var provider: Provider
    /// Where the model's name is written.
    public var location: SourceLocation

    public init(name: String, provider: Provider, location: SourceLocation) {
        self.name = name
        self.provider = provider
        self.location = location
    }

    /// How the model is reached.
    public enum Provider: Sendable, Equatable {
        /// A GGUF file run in-process by Baton's runtime.
        case local(LocalModel)
        /// An OpenAI-compatible chat-completions server (OpenAI, vLLM, llama.cpp server, Ollama).
        case openai(RemoteModel)

        /// `local` or `openai`, as written in YAML.
        public var name: String {
            switch self {
            case .local: return "local"
            case .openai: return "openai"
            }
        }
    }

    /// A GGUF model file for the local runtime.
    public struct LocalModel: Sendable, Equatable {
        /// As written. Relative paths are resolved by `resolvedPath(environment:fileExists:)`.
        public var path: String
        /// Context length in tokens; `nil` uses the model's own (capped by the runtime).
        public var context: Int?
        /// Worker threads; `nil` lets the runtime choose.
        public var threads: Int?
        /// LoRA adapters (llama.cpp GGUF adapter format) applied at run time, in order.
        public var lora: [LoRAAdapter]
        /// The folder relative paths were written against: the workflow's (`Workflow.directory`);
        /// nil for the working directory (a path on the command line, or a workflow in it).
        public var directory: String?

        public init(path: String, context: Int? = nil, threads: Int? = nil, lora: [LoRAAdapter] = [], directory: String? = nil) {
            self.path = path
            self.context = context
            self.threads = threads
            self.lora = lora
            self.directory = directory
        }

        /// Where the GGUF file is. An absolute path is used as is. A bare file name
        /// (`SmolLM2-135M-Instruct.Q4_1.gguf`) names a file of the model folder
        /// (`$BATON_MODELS`), else one beside the workflow (or in its `models/`); a path with a
        /// folder (`weights/m.gguf`) is relative to the workflow's folder, else to the model
        /// folder. Returns the first that exists, else the path against `directory` (so the
        /// error names what the author wrote, and nothing in the working directory is taken by
        /// mistake).
        public func resolvedPath(environment: [String: String], fileExists: (String) -> Bool) -> String {
            if path.hasPrefix("/") { return path }
            let here = Workflow.resolve(path, in: directory)
            var inFolder: [String] = []
            if let folder = environment["BATON_MODELS"], !folder.isEmpty {
                inFolder.append(folder.hasSuffix("/") ? folder + path : folder + "/" + path)
            }
            let besides = Workflow.resolve("models/" + path, in: directory)
            let candidates = path.contains("/") ? [here] + inFolder + [besides] : inFolder + [here, besides]
            return candidates.first(where: fileExists) ?? here
        }

        /// Where a LoRA adapter's file is: absolute as is; relative against the workflow's folder,
        /// else the model folder (`$BATON_MODELS`). The first that exists, else the first tried.
        public func resolvedPath(of adapter: LoRAAdapter, environment: [String: String], fileExists: (String) -> Bool) -> String {
            if adapter.path.hasPrefix("/") { return adapter.path }
            var candidates = [Workflow.resolve(adapter.path, in: directory)]
            if let folder = environment["BATON_MODELS"], !folder.isEmpty {
                candidates.append(folder.hasSuffix("/") ? folder + adapter.path : folder + "/" + adapter.path)
            }
            return candidates.first(where: fileExists) ?? candidates[0]
        }
    }

    /// One LoRA adapter and the scale it is applied with (default 1.0).
    public struct LoRAAdapter: Sendable, Equatable {
        public var path: String
        public var scale: Double

        public init(path: String, scale: Double = 1.0) {
            self.path = path
            self.scale = scale
        }
    }

    /// A model behind an OpenAI-compatible HTTP API.
    public struct RemoteModel: Sendable, Equatable {
        /// E.g. `http://localhost:11434/v1` (the `/chat/completions` path is appended).
        public var baseURL: String
        /// The server's model name (`gpt-4o-mini`, `qwen2.5:7b`).
        public var model: String
        /// The environment variable holding the API key; the key itself never sits in a workflow.
        public var apiKeyEnv: String?
        /// What its tokens cost (`price:`); `baton runs`/`usage`/`show` and a cost `budget:` use
        /// it before the config file's prices.
        public var price: ModelPrice?

        public init(baseURL: String, model: String, apiKeyEnv: String? = nil, price: ModelPrice? = nil) {
            self.baseURL = baseURL
            self.model = model
            self.apiKeyEnv = apiKeyEnv
            self.price = price
        }
    }
}

import Foundation
import Synchronization

/// One loaded copy of each model per process, shared by every step and concurrent iteration
/// that names it: loading maps the file and allocates the KV cache, so a second copy would
/// only waste memory and time. Keyed by the model path, context length and thread count (a
/// model loaded for 1 thread has run state sized for 1 worker, so it cannot serve a 4-thread spec).
public final class ModelCache: Sendable {
    public static let shared = ModelCache()
    /// Held while a model loads, so two steps naming the same file load it once.
    private let models = Mutex<[String: ChatModel]>([:])

    public init() {}

    /// The loaded model for `path` (loading it on first use; a failed load is not cached).
    public func model(path: String, contextLength: Int? = nil, threads: Int? = nil) throws(RuntimeError) -> ChatModel {
        let key = path + "#" + (contextLength.map(String.init) ?? "") + "#" + (threads.map(String.init) ?? "")
        return try models.withLock { (models) throws(RuntimeError) -> ChatModel in
            if let model = models[key] { return model }
            let model = try ChatModel(path: path, contextLength: contextLength, threads: threads)
            models[key] = model
            return model
        }
    }

    /// How many models are loaded.
    public var count: Int { models.withLock { $0.count } }
}

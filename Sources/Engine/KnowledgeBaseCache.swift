import Foundation
import Synchronization
import Providers
import Retrieval
import Workflow

/// The knowledge bases `rag_query` steps search, opened once per process and shared.
///
/// Opening one loads its embedding model and, on the first vector search, every chunk vector:
/// seconds of work that a `for_each` of questions, concurrent steps or a scheduler firing the same
/// workflow again must not repeat. Bases are keyed by their absolute path, so two workflows naming
/// the same file share one.
public final class KnowledgeBaseCache: Sendable {
    /// Held while a base opens, so concurrent steps naming it open it once.
    private let bases = Mutex<[String: KnowledgeBase]>([:])

    /// The process-wide cache the engine uses.
    public static let shared = KnowledgeBaseCache()

    public init() {}

    /// The base `spec` declares. Relative `path`, `source` and `embedding` paths are resolved
    /// against `directory`, the workflow's folder (nil: the working directory), so a workflow
    /// finds its database wherever it is run from; `embedding`, when it names an existing model
    /// file or folder, replaces the model recorded in the database.
    public func base(for spec: KnowledgeSpec, in directory: String? = nil) throws(RetrievalError) -> KnowledgeBase {
        let path = URL(fileURLWithPath: Workflow.resolve(spec.path, in: directory)).standardizedFileURL.path
        let model = spec.embedding.map { Workflow.resolve($0, in: directory) }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        return try bases.withLock { (bases) throws(RetrievalError) -> KnowledgeBase in
            if let base = bases[path] { return base }
            return try Self.open(spec, path: path, model: model, directory: directory, into: &bases)
        }
    }

    /// Opens the base at `path` and records it; errors name the workflow's path and how to build it.
    private static func open(_ spec: KnowledgeSpec, path: String, model: String?, directory: String?,
                             into bases: inout [String: KnowledgeBase]) throws(RetrievalError) -> KnowledgeBase {
        do {
            let base = try KnowledgeBase.open(path: path, modelPath: model)
            bases[path] = base
            return base
        } catch {
            // Name the workflow's path (as written) and how to build it, not only the absolute one.
            if !FileManager.default.fileExists(atPath: path) {
                let source = spec.source.map { Workflow.shown(Workflow.resolve($0, in: directory)) } ?? "FOLDER"
                throw RetrievalError("knowledge base '\(spec.name)': no such knowledge database '\(spec.path)' (build it with 'baton ingest \(Workflow.shown(path)) \(source)')")
            }
            throw error
        }
    }
}

import Foundation
import Providers
import Retrieval
import Workflow

/// The knowledge bases `rag_query` steps search, opened once per process and shared.
///
/// Opening one loads its embedding model and, on the first vector search, every chunk vector:
/// seconds of work that a `for_each` of questions, concurrent steps or a scheduler firing the same
/// workflow again must not repeat. Bases are keyed by their absolute path, so two workflows naming
/// the same file share one.
public final class KnowledgeBaseCache: @unchecked Sendable {
    // @unchecked Sendable: `bases` is only touched while `lock` is held; `KnowledgeBase` is itself
    // safe to share between threads.
    private let lock = NSLock()
    private var bases: [String: KnowledgeBase] = [:]

    /// The process-wide cache the engine uses.
    public static let shared = KnowledgeBaseCache()

    public init() {}

    /// The base `spec` declares. A relative `path` is resolved against the working directory (where
    /// `baton ingest` was run to build it); `embedding`, when it names an existing model file or
    /// folder, replaces the model recorded in the database.
    public func base(for spec: KnowledgeSpec) throws(RetrievalError) -> KnowledgeBase {
        let path = URL(fileURLWithPath: spec.path).standardizedFileURL.path
        let model = spec.embedding.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
        lock.lock()
        defer { lock.unlock() }
        if let base = bases[path] { return base }
        do {
            let base = try KnowledgeBase.open(path: path, modelPath: model)
            bases[path] = base
            return base
        } catch {
            // Name the workflow's path (as written) and how to build it, not only the absolute one.
            if !FileManager.default.fileExists(atPath: path) {
                let source = spec.source ?? "FOLDER"
                throw RetrievalError("knowledge base '\(spec.name)': no such knowledge database '\(spec.path)' (build it with 'baton ingest \(spec.path) \(source)')")
            }
            throw error
        }
    }
}

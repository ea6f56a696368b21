import Foundation

/// Finds the embedding model when a command is not given `--model`: `BATON_EMBEDDING_MODEL`, then
/// the model folders the set-up script fills (`$BATON_MODELS/all-MiniLM-L6-v2`,
/// `./models/all-MiniLM-L6-v2`, `~/.baton/models/all-MiniLM-L6-v2`), the same folders the default
/// generation model is looked up in.
public enum EmbeddingModelLocator {
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let path = environment["BATON_EMBEDDING_MODEL"], !path.isEmpty { paths.append(path) }
        if let models = environment["BATON_MODELS"], !models.isEmpty { paths.append(models + "/all-MiniLM-L6-v2") }
        paths.append("models/all-MiniLM-L6-v2")
        paths.append(NSHomeDirectory() + "/.baton/models/all-MiniLM-L6-v2")
        return paths
    }

    /// The explicit path, or the first candidate that exists.
    public static func resolve(_ explicit: String?) throws(RetrievalError) -> String {
        if let explicit { return explicit }
        let paths = candidates()
        if let found = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw RetrievalError("error: no embedding model found; pass --model PATH or set BATON_EMBEDDING_MODEL (looked in \(paths.joined(separator: ", ")))")
    }
}

import Foundation

/// The text an embedder puts before queries and passages. e5 models (multilingual-e5, e5-v2)
/// were trained on `query: …` / `passage: …` pairs and rank noticeably worse without them;
/// other models (all-MiniLM-L6-v2, bge-m3) take the text as it is.
public struct EmbeddingPrefixes: Sendable, Equatable {
    public var query: String
    public var passage: String

    public static let none = EmbeddingPrefixes(query: "", passage: "")
    public static let e5 = EmbeddingPrefixes(query: "query: ", passage: "passage: ")

    /// The prefix for `role`.
    public func prefix(for role: EmbeddingRole) -> String { role == .query ? query : passage }

    /// What a model folder asks for. An explicit setting wins: sentence-transformers'
    /// `config_sentence_transformers.json` `prompts` (`query`, and `passage` or `document`;
    /// empty strings turn prefixes off). Without one, a model named like e5 (`name` contains
    /// `e5` as a word part: `multilingual-e5-small`, `e5-base-v2`) gets e5's, any other none.
    static func forModel(folder: String?, name: String) throws(RetrievalError) -> EmbeddingPrefixes {
        if let folder {
            let path = folder + "/config_sentence_transformers.json"
            if let data = FileManager.default.contents(atPath: path) {
                guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                    throw RetrievalError("\(path): error: not a JSON object")
                }
                if let prompts = json["prompts"] as? [String: Any], !prompts.isEmpty {
                    let query = prompts["query"] as? String ?? ""
                    let passage = prompts["passage"] as? String ?? prompts["document"] as? String ?? ""
                    return EmbeddingPrefixes(query: query, passage: passage)
                }
            }
        }
        let parts = name.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return parts.contains("e5") ? .e5 : .none
    }
}

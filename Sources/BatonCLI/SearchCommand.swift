import CommandKit
import Retrieval

/// `baton search`: the top chunks of a knowledge database for a query.
struct SearchCommand: TableCommand {
    static let abstract = "Search a knowledge database (vector, lexical or hybrid)."
    static let options = OptionTable("baton search", [
        .positional("KNOWLEDGE.db"),
        .positional("QUERY"),
        .option("top-k", value: "N", help: "How many chunks (default 5)."),
        .option("mode", value: "vector|lexical|hybrid", help: "vector, lexical or hybrid (default hybrid)."),
        .option("path", value: "GLOB", help: "Only documents whose path matches (e.g. 'Examples/knowledge/*.md')."),
        .option("model", value: "PATH", help: "Embedding model; default: the one the database was built with. e5 models get \"query: \" before QUERY."),
        .flag("json", help: #"Print a JSON array of {"path", "chunk", "position", "score", "text"}."#),
    ])
    static let discussion = """
        Prints the best chunks for QUERY, best first: exact cosine similarity over every chunk's
        embedding (vector), FTS5 trigram matching ranked by BM25 (lexical, works for Korean), or
        both fused by reciprocal rank (hybrid, the default).
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 2 else {
            throw UsageError(message: parsed.positionals.count < 2 ? "missing \(parsed.positionals.isEmpty ? "KNOWLEDGE.db" : "QUERY")" : "unexpected argument '\(parsed.positionals[2])'", usage: usage)
        }
        let topKText = parsed.value("top-k") ?? "5"
        guard let topK = Int(topKText), topK > 0 else { throw UsageError(message: "--top-k needs a positive integer", usage: usage) }
        let modeName = parsed.value("mode") ?? "hybrid"
        guard let mode = SearchMode(rawValue: modeName) else {
            throw UsageError(message: "unknown mode '\(modeName)' (vector, lexical or hybrid)", usage: usage)
        }
        let results: [RetrievedChunk]
        switch search(parsed, topK: topK, mode: mode) {
        case .success(let found): results = found
        case .failure(let error):
            printError(error.description)
            return 1
        }
        if parsed.flag("json") {
            let items = results.map { result in
                "{\"path\": \(JSONText.quoted(result.source)), \"chunk\": \(result.chunkID), \"position\": \(result.position), "
                    + "\"score\": \(JSONText.number(result.score)), \"text\": \(JSONText.quoted(result.text))}"
            }
            printOut(items.isEmpty ? "[]" : "[\n  " + items.joined(separator: ",\n  ") + "\n]")
        } else {
            for (rank, result) in results.enumerated() {
                let score = (result.score * 10000).rounded() / 10000
                printOut("\(rank + 1). \(result.source) #\(result.position) (score \(score))")
                printOut("   " + result.text.split(separator: "\n").joined(separator: "\n   "))
            }
        }
        return 0
    }

    private static func search(_ parsed: ParsedArguments, topK: Int, mode: SearchMode) -> Result<[RetrievedChunk], RetrievalError> {
        Result { () throws(RetrievalError) in
            let knowledge = try KnowledgeBase.open(path: parsed.positionals[0], modelPath: parsed.value("model"))
            return try knowledge.search(query: parsed.positionals[1], topK: topK, mode: mode, pathGlob: parsed.value("path"))
        }
    }
}

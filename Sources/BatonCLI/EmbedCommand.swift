import CommandKit
import Retrieval

/// `baton embed`: prints sentence embeddings, for checks and for users' own tools.
struct EmbedCommand: TableCommand {
    static let abstract = "Print the embedding vectors of texts."
    static let options = OptionTable("baton embed", [
        .option("model", value: "PATH", help: "A model folder (model.safetensors, config.json, tokenizer.json) or a BERT .gguf file. Default: $BATON_EMBEDDING_MODEL, then models/all-MiniLM-L6-v2."),
        .option("as", value: "query|passage", help: #"Put the model's prefix for that side of a search before each TEXT (e5 models: "query: ", "passage: "), as baton search and baton ingest do. Default: the text as given."#),
        .flag("json", help: #"Print a JSON array of {"text", "tokens", "truncated", "vector"}."#),
        .positional("TEXT", repeatable: true),
    ])
    static let discussion = """
        Embeds each TEXT with a sentence-embedding model (BERT or XLM-RoBERTa; the pooling its
        folder names, unit length) and prints one line per text: the vector's components separated
        by spaces.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard !parsed.positionals.isEmpty else { throw UsageError(message: "missing TEXT", usage: usage) }
        var role: EmbeddingRole?
        if let value = parsed.value("as") {
            guard let known = EmbeddingRole(rawValue: value) else {
                throw UsageError(message: "--as must be query or passage, not '\(value)'", usage: usage)
            }
            role = known
        }
        let embedder: SentenceEmbedder
        do {
            embedder = try SentenceEmbedder(path: EmbeddingModelLocator.resolve(parsed.value("model")))
        } catch {
            printError(error.description)
            return 1
        }
        let embeddings: [Embedding]
        do {
            embeddings = try embedder.embed(parsed.positionals, as: role)
        } catch {
            printError(error.description)
            return 1
        }
        for (text, embedding) in zip(parsed.positionals, embeddings) where embedding.truncated {
            printError("warning: text truncated to \(embedder.maxTokens) tokens: \(text.prefix(40))...")
        }
        if parsed.flag("json") {
            let items = zip(parsed.positionals, embeddings).map { text, embedding in
                "{\"text\": \(JSONText.quoted(text)), \"tokens\": \(embedding.tokenCount), \"truncated\": \(embedding.truncated), "
                    + "\"vector\": [\(embedding.vector.map(JSONText.number).joined(separator: ", "))]}"
            }
            printOut("[\n  " + items.joined(separator: ",\n  ") + "\n]")
        } else {
            for embedding in embeddings { printOut(embedding.vector.map(JSONText.number).joined(separator: " ")) }
        }
        return 0
    }
}

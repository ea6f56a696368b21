import CommandKit
import Retrieval

/// `baton embed`: prints sentence embeddings, for checks and for users' own tools.
struct EmbedCommand: TableCommand {
    static let name = "embed"
    static let abstract = "Print the embedding vectors of texts."
    static let options = OptionTable("baton embed", [
        .option("model", value: "PATH", help: "A model folder (model.safetensors, config.json, tokenizer.json) or a BERT .gguf file. Default: $BATON_EMBEDDING_MODEL, then models/all-MiniLM-L6-v2."),
        .flag("json", help: #"Print a JSON array of {"text", "tokens", "truncated", "vector"}."#),
        .positional("TEXT", repeatable: true),
    ])
    static let discussion = """
        Embeds each TEXT with a BERT sentence-embedding model (mean pooling, unit length) and prints
        one line per text: the vector's components separated by spaces.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard !parsed.positionals.isEmpty else { throw UsageError(message: "missing TEXT", usage: usage) }
        let embedder: SentenceEmbedder
        do {
            embedder = try SentenceEmbedder(path: EmbeddingModelLocator.resolve(parsed.value("model")))
        } catch {
            printError(error.description)
            return 1
        }
        let embeddings: [Embedding]
        do {
            embeddings = try embedder.embed(parsed.positionals)
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

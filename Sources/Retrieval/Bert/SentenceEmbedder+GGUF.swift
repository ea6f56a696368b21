extension SentenceEmbedder {
    /// BERT GGUF files need the Runtime's GGUF reader (helper "gguf"); until it lands they are refused.
    static func loadGGUF(_ path: String) throws(RetrievalError) -> SentenceEmbedder {
        throw RetrievalError("\(path): error: BERT GGUF files are not supported yet; use the model folder (model.safetensors)")
    }
}

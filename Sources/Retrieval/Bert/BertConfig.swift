/// The shape of a BERT encoder, from `config.json` or from GGUF `bert.*` metadata.
public struct BertConfig: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var layerNormEpsilon: Float

    public init(vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                maxPositions: Int, typeVocabularySize: Int = 2, layerNormEpsilon: Float = 1e-12) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / headCount }

    /// Checks the numbers make a usable model (so a bad config fails at load, not in a kernel).
    func validate(source: String) throws(RetrievalError) {
        let sizes = [vocabularySize, hiddenSize, layerCount, headCount, intermediateSize, maxPositions]
        guard sizes.allSatisfy({ $0 > 0 && $0 < 1 << 24 }), hiddenSize % headCount == 0 else {
            throw RetrievalError("\(source): error: implausible BERT configuration \(self)")
        }
        // The attention kernel works on 16-float vectors of a head.
        guard headSize % 16 == 0 else {
            throw RetrievalError("\(source): error: attention head size \(headSize) is not a multiple of 16")
        }
        // Layer normalization divides by sqrt(variance + eps): eps must be a small positive number.
        guard layerNormEpsilon.isFinite, layerNormEpsilon > 0, layerNormEpsilon < 1 else {
            throw RetrievalError("\(source): error: layer_norm_eps is \(layerNormEpsilon); it must be a small positive number (such as 1e-12)")
        }
        guard typeVocabularySize > 0, typeVocabularySize < 1 << 16 else {
            throw RetrievalError("\(source): error: type_vocab_size \(typeVocabularySize) is not plausible")
        }
    }

    /// The activations `BertEncoder` implements (exact erf GELU); anything else would be computed wrongly.
    static let supportedActivations: Set<String> = ["gelu"]

    /// Refuses a `hidden_act` the encoder does not compute.
    static func checkActivation(_ name: String?, source: String) throws(RetrievalError) {
        guard let name else { return }  // absent: BERT's default, gelu
        guard supportedActivations.contains(name) else {
            throw RetrievalError("\(source): error: hidden_act '\(name)' is not supported (only 'gelu', the exact erf form BERT uses)")
        }
    }

    /// Refuses a weight that is NaN or infinite: it would turn every embedding into NaN.
    static func checkFinite(_ values: [Float], tensor: String, source: String) throws(RetrievalError) {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw RetrievalError("\(source): error: tensor '\(tensor)' holds a non-finite value (\(values[index])) at element \(index); the file is corrupt")
        }
    }
}

import Foundation
import Runtime

/// Float32 weights of a BERT encoder, linear layers transposed (`[in × out]`) and packed into
/// 32-column panels (`PackedMatrixProduct.pack`) for the matmul kernel. Loaded from safetensors (HF names) or GGUF (llama.cpp names) by name mapping.
public struct BertWeights: Sendable {
    public struct Layer: Sendable {
        var qkv: [Float]          // [hidden × 3·hidden]: query | key | value columns
        var qkvBias: [Float]      // [3·hidden]
        var attentionOut: [Float] // [hidden × hidden]
        var attentionOutBias: [Float]
        var attentionNormWeight: [Float], attentionNormBias: [Float]
        var up: [Float]           // [hidden × intermediate]
        var upBias: [Float]
        var down: [Float]         // [intermediate × hidden]
        var downBias: [Float]
        var outputNormWeight: [Float], outputNormBias: [Float]
    }

    var wordEmbeddings: [Float]      // [vocabulary × hidden]
    var positionEmbeddings: [Float]  // [maxPositions × hidden]
    var tokenTypeEmbedding: [Float]  // [hidden]: type 0 (single sentences)
    var embeddingNormWeight: [Float], embeddingNormBias: [Float]
    var layers: [Layer]

    /// Reads every tensor through `read(name, shape)`, where shapes are PyTorch's (`[out, in]`).
    /// `names` maps the logical tensor to the file's naming scheme.
    init(config c: BertConfig, names: BertTensorNames,
         read: (String, [Int]) throws(RetrievalError) -> [Float]) throws(RetrievalError) {
        let h = c.hiddenSize, i = c.intermediateSize
        wordEmbeddings = try read(names.wordEmbeddings, [c.vocabularySize, h])
        positionEmbeddings = try read(names.positionEmbeddings, [c.maxPositions, h])
        // Only type 0's row is used; a GGUF may store fewer rows than the config assumes, but
        // never less than that one (the encoder reads `h` values).
        let types = try read(names.tokenTypeEmbeddings, [c.typeVocabularySize, h])
        guard types.count >= h else {
            throw RetrievalError("error: tensor '\(names.tokenTypeEmbeddings)' holds \(types.count) values, less than one row of \(h)")
        }
        tokenTypeEmbedding = Array(types.prefix(h))
        embeddingNormWeight = try read(names.embeddingNorm + names.weight, [h])
        embeddingNormBias = try read(names.embeddingNorm + names.bias, [h])
        layers = []
        guard h % 32 == 0, i % 32 == 0 else {
            throw RetrievalError("error: hidden size \(h) and intermediate size \(i) must be multiples of 32")
        }
        for index in 0..<c.layerCount {
            func linear(_ name: String, _ output: Int, _ input: Int) throws(RetrievalError) -> (weight: [Float], bias: [Float]) {
                let base = names.layer(index, name)
                let weight = try read(base + names.weight, [output, input])
                return (transpose(weight, rows: output, columns: input), try read(base + names.bias, [output]))
            }
            func norm(_ name: String) throws(RetrievalError) -> ([Float], [Float]) {
                let base = names.layer(index, name)
                return (try read(base + names.weight, [h]), try read(base + names.bias, [h]))
            }
            let q = try linear(names.query, h, h), k = try linear(names.key, h, h), v = try linear(names.value, h, h)
            var qkv = [Float](repeating: 0, count: h * 3 * h)
            for row in 0..<h {
                for column in 0..<h {
                    qkv[row * 3 * h + column] = q.weight[row * h + column]
                    qkv[row * 3 * h + h + column] = k.weight[row * h + column]
                    qkv[row * 3 * h + 2 * h + column] = v.weight[row * h + column]
                }
            }
            let out = try linear(names.attentionOutput, h, h)
            let attentionNorm = try norm(names.attentionNorm)
            let up = try linear(names.up, i, h), down = try linear(names.down, h, i)
            let outputNorm = try norm(names.outputNorm)
            layers.append(Layer(qkv: PackedMatrixProduct.pack(qkv, k: h, n: 3 * h), qkvBias: q.bias + k.bias + v.bias,
                                attentionOut: PackedMatrixProduct.pack(out.weight, k: h, n: h), attentionOutBias: out.bias,
                                attentionNormWeight: attentionNorm.0, attentionNormBias: attentionNorm.1,
                                up: PackedMatrixProduct.pack(up.weight, k: h, n: i), upBias: up.bias,
                                down: PackedMatrixProduct.pack(down.weight, k: i, n: h), downBias: down.bias,
                                outputNormWeight: outputNorm.0, outputNormBias: outputNorm.1))
        }
    }
}

/// `[rows × columns]` → `[columns × rows]`.
func transpose(_ matrix: [Float], rows: Int, columns: Int) -> [Float] {
    var result = [Float](repeating: 0, count: matrix.count)
    for row in 0..<rows { for column in 0..<columns { result[column * rows + row] = matrix[row * columns + column] } }
    return result
}

/// Tensor names of one file format.
struct BertTensorNames: Sendable {
    var wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNorm: String
    var layerPrefix: String
    var query, key, value, attentionOutput, attentionNorm, up, down, outputNorm: String
    var weight = ".weight", bias = ".bias"

    func layer(_ index: Int, _ name: String) -> String { layerPrefix.replacingOccurrences(of: "{i}", with: "\(index)") + name }

    /// Hugging Face `BertModel` names, with an optional `bert.` prefix.
    static func huggingFace(prefix: String) -> BertTensorNames {
        BertTensorNames(
            wordEmbeddings: prefix + "embeddings.word_embeddings.weight",
            positionEmbeddings: prefix + "embeddings.position_embeddings.weight",
            tokenTypeEmbeddings: prefix + "embeddings.token_type_embeddings.weight",
            embeddingNorm: prefix + "embeddings.LayerNorm",
            layerPrefix: prefix + "encoder.layer.{i}.",
            query: "attention.self.query", key: "attention.self.key", value: "attention.self.value",
            attentionOutput: "attention.output.dense", attentionNorm: "attention.output.LayerNorm",
            up: "intermediate.dense", down: "output.dense", outputNorm: "output.LayerNorm")
    }

    /// llama.cpp's GGUF names for the `bert` architecture.
    static let gguf = BertTensorNames(
        wordEmbeddings: "token_embd.weight", positionEmbeddings: "position_embd.weight",
        tokenTypeEmbeddings: "token_types.weight", embeddingNorm: "token_embd_norm",
        layerPrefix: "blk.{i}.",
        query: "attn_q", key: "attn_k", value: "attn_v", attentionOutput: "attn_output",
        attentionNorm: "attn_output_norm", up: "ffn_up", down: "ffn_down", outputNorm: "layer_output_norm")
}

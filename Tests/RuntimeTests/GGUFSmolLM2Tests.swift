import Foundation
import Testing
import TestSupport
@testable import Runtime

@Test(.requiresSmolLM2) func smolLM2OpensWithItsMetadataAndTensors() throws {
    let path = try #require(ReferenceModels.smolLM2)
    let file = try GGUFFile(path: path)
    #expect(file.version == 3)
    #expect(file.string("general.architecture") == "llama")
    #expect(file.string("tokenizer.ggml.pre") == "smollm")
    #expect(file.int("llama.block_count") == 30)
    #expect(file.int("llama.embedding_length") == 576)
    #expect(file.strings("tokenizer.ggml.tokens")?.count == 49152)
    #expect(file.tensors.count == 272)
    let embedding = try #require(file.tensor(named: "token_embd.weight"))
    #expect(embedding.shape == [576, 49152])
    #expect(file.data(for: embedding).count == embedding.byteCount)
    #expect(embedding.byteCount == 576 / embedding.type.blockSize * embedding.type.typeSize * 49152)
}

import Foundation
import Testing
import TestSupport
@testable import Retrieval
import Runtime

/// Embeddings against sentence-transformers (fixture from Fixtures/generate_embeddings.py).
@Suite struct SentenceEmbedderTests {
    struct Fixture: Decodable { var texts: [String]; var dimension: Int; var max_seq_length: Int }

    static let embedder: SentenceEmbedder? = {
        guard let model = ReferenceModels.miniLM else { return nil }
        return try? SentenceEmbedder(path: model)
    }()

    @Test(.requiresMiniLM) func embeddingsEqualSentenceTransformers() throws {
        let embedder = try #require(Self.embedder)
        let json = try #require(Bundle.module.url(forResource: "Fixtures/minilm_embeddings", withExtension: "json"))
        let binary = try #require(Bundle.module.url(forResource: "Fixtures/minilm_embeddings", withExtension: "f16"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: json))
        let bytes = try Data(contentsOf: binary)
        #expect(fixture.texts.count >= 100)
        #expect(bytes.count == fixture.texts.count * fixture.dimension * 2)
        #expect(embedder.maxTokens == fixture.max_seq_length)
        let embeddings = try embedder.embed(fixture.texts)
        var worst: Float = 1
        for (index, embedding) in embeddings.enumerated() {
            let reference = (0..<fixture.dimension).map { j in
                bytes.withUnsafeBytes { Float(Float16(bitPattern: $0.loadUnaligned(fromByteOffset: (index * fixture.dimension + j) * 2, as: UInt16.self))) }
            }
            let cosine = zip(embedding.vector, reference).reduce(0) { $0 + $1.0 * $1.1 }
                / (reference.reduce(0) { $0 + $1 * $1 }).squareRoot()
            worst = min(worst, cosine)
            #expect(cosine >= 0.99999, "\(fixture.texts[index].debugDescription): cosine \(cosine)")
        }
        print("worst cosine vs sentence-transformers: \(worst) over \(embeddings.count) texts")
        #expect(embeddings.filter(\.truncated).count == 1)
    }

    @Test(.requiresMiniLM) func batchingDoesNotChangeVectors() throws {
        let embedder = try #require(Self.embedder)
        let texts = ["짧은 문장", "A somewhat longer English sentence about press releases.", "중간 길이의 한국어 문장입니다."]
        let together = try embedder.embed(texts, batchSize: 32)
        let alone = try texts.flatMap { try embedder.embed([$0]) }
        for (a, b) in zip(together, alone) {
            #expect(zip(a.vector, b.vector).allSatisfy { abs($0 - $1) < 1e-5 })
        }
    }

    @Test(arguments: [(m: 1, k: 3, n: 32), (m: 7, k: 33, n: 64), (m: 9, k: 384, n: 128), (m: 4, k: 16, n: 32), (m: 13, k: 40, n: 96)])
    func matmulEqualsReference(_ shape: (m: Int, k: Int, n: Int)) {
        var seed: UInt64 = 42
        func random() -> Float { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Float(Int64(bitPattern: seed) >> 40) / Float(1 << 23) }
        let x = (0..<(shape.m * shape.k)).map { _ in random() }
        let w = (0..<(shape.k * shape.n)).map { _ in random() }
        let bias = (0..<shape.n).map { _ in random() }
        var packed = [Float](repeating: 0, count: shape.m * shape.n)
        var slow = packed
        PackedMatrixProduct.multiply(x, PackedMatrixProduct.pack(w, k: shape.k, n: shape.n), bias: bias, into: &packed,
                                     m: shape.m, k: shape.k, n: shape.n, threads: 2)
        PackedMatrixProduct.reference(x, w, bias: bias, into: &slow, m: shape.m, k: shape.k, n: shape.n)
        let scale = slow.map { abs($0) }.max() ?? 1
        #expect((zip(packed, slow).map { abs($0 - $1) }.max() ?? 0) / scale < 1e-5)
    }
}

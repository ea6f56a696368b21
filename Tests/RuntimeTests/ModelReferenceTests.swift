import Foundation
import Testing
@testable import Runtime

/// Compares rows of logits: overall normalized MSE and the positions whose argmax differs.
func compareLogits(_ ours: [Float], _ reference: [Float], vocabulary: Int) -> (nmse: Double, argmaxMismatches: [Int]) {
    let rows = reference.count / vocabulary
    var mismatches: [Int] = []
    for row in 0..<rows {
        let a = ours[row * vocabulary..<(row + 1) * vocabulary], b = reference[row * vocabulary..<(row + 1) * vocabulary]
        if a.indices.max(by: { a[$0] < a[$1] }) != b.indices.max(by: { b[$0] < b[$1] }) { mismatches.append(row) }
    }
    return (normalizedError(ours, reference), mismatches)
}

@Suite("Models against llama.cpp")
struct ModelReferenceTests {
    @Test("prompt batch: logits at every position equal llama.cpp's", arguments: FixtureModel.reference)
    func promptLogits(model: FixtureModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let ours = try transformer.forwardAllLogits(model.tokens)
        let (nmse, mismatches) = compareLogits(ours, try model.referenceLogits(), vocabulary: model.vocabulary)
        print("reference \(model.name) (\(model.type)) prompt batch: NMSE \(nmse), argmax mismatches \(mismatches)")
        #expect(nmse <= model.bound)
        #expect(mismatches == [])
    }

    @Test("decode steps: one token at a time through the KV cache", arguments: FixtureModel.reference)
    func decodeLogits(model: FixtureModel) throws {
        let transformer = try TransformerModel(path: model.path, contextLength: 64, threads: 2)
        let ours = try model.decodeLogits(transformer)
        let (nmse, mismatches) = compareLogits(ours, try model.referenceLogits(), vocabulary: model.vocabulary)
        print("reference \(model.name) (\(model.type)) decode steps: NMSE \(nmse), argmax mismatches \(mismatches)")
        #expect(nmse <= model.bound)
        #expect(mismatches == [])
        #expect(transformer.position == 32)
    }
}

import Foundation
import Testing
import TestSupport
@testable import Runtime

/// llama.cpp's greedy run on SmolLM2-135M-Instruct Q4_1, recorded by `make_smollm2_reference.py`.
let smolLM2ReferenceDirectory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/smollm2")

/// The two best logits' ids and the gap between them.
func topTwo(_ logits: UnsafeBufferPointer<Float>) -> (best: Int, gap: Float) {
    var best = 0, second = -1
    for i in 1..<logits.count where logits[i] > logits[best] { best = i }
    for i in 0..<logits.count where i != best && (second < 0 || logits[i] > logits[second]) { second = i }
    return (best, logits[best] - logits[second])
}

@Suite("SmolLM2-135M against llama.cpp", .serialized)
struct ModelSmolLM2Tests {
    @Test("last-position logits of 20 prompts and 64 greedy tokens equal llama.cpp's", .requiresSmolLM2)
    func logitsAndGreedyGeneration() throws {
        let path = try #require(ReferenceModels.smolLM2)
        let (reference, fullRows) = try GreedyReference.load(smolLM2ReferenceDirectory)
        let model = try TransformerModel(path: path, contextLength: 256, threads: 2)
        let vocabulary = model.configuration.vocabularySize
        var worstNMSE = 0.0
        var divergences: [String] = []
        for (index, item) in reference.cases.enumerated() {
            model.reset()
            let logits = try model.forward(item.tokens)
            if index < reference.full_rows {
                let ours = Array(logits)
                let theirs = Array(fullRows[index * vocabulary..<(index + 1) * vocabulary])
                let nmse = normalizedError(ours, theirs)
                worstNMSE = max(worstNMSE, nmse)
                print("smollm2 prompt \(index) last-position logits: NMSE \(nmse)")
                #expect(nmse <= 1e-4)
            }
            // The top 16 of llama.cpp: same best token, and each logit within 0.05.
            #expect(topTwo(logits).best == item.top_ids[0], "prompt \(index) argmax")
            let largest = zip(item.top_ids, item.top_logits).map { abs(logits[$0.0] - $0.1) }.max() ?? 0
            #expect(largest < 0.05, "prompt \(index): top-16 logits differ by up to \(largest)")

            // Greedy generation, step by step; stop at the first divergence, which must be a near-tie.
            var (token, gap) = topTwo(logits)
            for step in 0..<reference.steps {
                if token != item.generated[step] {
                    let note = "prompt \(index) diverges at step \(step): Baton \(token) (gap \(gap)), llama.cpp \(item.generated[step]) (gap \(item.gaps[step]))"
                    divergences.append(note)
                    #expect(gap < 0.05 && item.gaps[step] < 0.05, "\(note) is not a near-tie")
                    break
                }
                if step + 1 == reference.steps { break }
                (token, gap) = topTwo(try model.forward([token]))
            }
        }
        print("smollm2: worst full-row NMSE \(worstNMSE); greedy 64 tokens: \(reference.cases.count - divergences.count)/\(reference.cases.count) identical")
        for note in divergences { print("smollm2 near-tie: \(note)") }
    }
}

import Foundation
@testable import Runtime

/// llama.cpp's greedy run on a real model, as `gguf_fixtures.greedy_cases` records it for
/// `make_smollm2_reference.py` and `make_gemma3_reference.py`: for each prompt its token ids, the
/// 16 best ids and logits at the last prompt position, and the greedy tokens with the gap between
/// the two best logits at every step (to judge near-ties).
struct GreedyReference: Decodable {
    struct Case: Decodable {
        var prompt: String
        var tokens: [Int]
        var top_ids: [Int]
        var top_logits: [Float]
        var generated: [Int]
        var gaps: [Float]
    }
    /// Whether the recording machine had AVX-512 (Gemma's reference says; llama.cpp's summation
    /// order follows the vector width).
    var avx512: Bool?
    var full_rows: Int
    var steps: Int
    var cases: [Case]

    /// `folder`'s `reference.json`, and the full last-position rows of its first `full_rows`
    /// prompts (`last_logits.f16`) as floats.
    static func load(_ folder: URL) throws -> (GreedyReference, [Float]) {
        let reference = try JSONDecoder().decode(GreedyReference.self, from: Data(contentsOf: folder.appendingPathComponent("reference.json")))
        let halves = try Data(contentsOf: folder.appendingPathComponent("last_logits.f16"))
        return (reference, halves.withUnsafeBytes { $0.bindMemory(to: UInt16.self).map { HalfFloat.float(fromHalf: $0) } })
    }
}

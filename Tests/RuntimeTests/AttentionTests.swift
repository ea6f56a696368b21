import Testing
@testable import Runtime

/// The decode path (one token, phases split by positions, heads and lanes) must round exactly as
/// the per-head path does, which is what the llama.cpp comparisons were made against.
@Suite("Attention decode path")
struct AttentionTests {
    @Test("a decode step equals the per-head path bit for bit", arguments: [
        (heads: 9, kvHeads: 3, headSize: 64, position: 700),   // SmolLM2's shape, long context
        (heads: 9, kvHeads: 3, headSize: 64, position: 5),
        (heads: 8, kvHeads: 8, headSize: 24, position: 130),   // no grouping, odd head size
        (heads: 12, kvHeads: 2, headSize: 128, position: 63),  // a lane boundary
        (heads: 4, kvHeads: 1, headSize: 80, position: 0),     // first token
        (heads: 4, kvHeads: 1, headSize: 256, position: 301),  // Gemma 3's shape
        (heads: 3, kvHeads: 1, headSize: 256, position: 20),   // an odd group: a head without a pair
    ])
    func decodeEqualsPerHead(shape: (heads: Int, kvHeads: Int, headSize: Int, position: Int)) {
        var random = TestRandom(seed: UInt64(shape.position + 17))
        let (heads, kvHeads, headSize, position) = shape
        let context = position + 40
        let kvWidth = kvHeads * headSize
        let q = (0..<heads * headSize).map { _ in random.float() * 2 }
        let k = (0..<context * kvWidth).map { _ in random.float() }
        let v = (0..<context * kvWidth).map { _ in random.float() }
        for threads in [1, 2, 3] {
            var fast = [Float](repeating: .nan, count: heads * headSize)
            var reference = fast
            var scratch = [Float](repeating: .nan, count: Attention.scratchCount(context: context, heads: heads, headSize: headSize, threads: threads))
            Attention.decode(query: q, keys: k, values: v, output: &fast, position: position, heads: heads, kvHeads: kvHeads,
                             headSize: headSize, context: context, scratch: &scratch, threads: threads)
            Attention.perHead(queries: q, keys: k, values: v, output: &reference, tokens: 1, start: position, heads: heads,
                              kvHeads: kvHeads, headSize: headSize, context: context, scratch: &scratch, threads: threads)
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "threads \(threads)")
        }
    }
}

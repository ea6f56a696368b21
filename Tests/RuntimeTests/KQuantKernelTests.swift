import Base
import Testing
@testable import Runtime

/// The K-quant dot products (`DotProduct.q4K`, `DotProduct.q6K`, vector instructions) against
/// plain scalar integer references (the kernels' former loops), and their four-token variants
/// against them, bit for bit. Integer sums are
/// exact, so any difference means a wrong lane grouping, a wrong unpacking of the bit layout, a
/// saturated 16-bit pair sum, or a changed float order, each of which the model comparisons
/// with llama.cpp would see only as a small NMSE change.
@Suite("K-quant dot products")
struct KQuantKernelTests {
    /// How a test fills the weight blocks: random bytes, or the extremes (every quant and 6-bit
    /// scale at its maximum, Q6_K's int8 scales alternating 127 and −128, f16 scales at 65504),
    /// or zeros.
    enum Weights: CaseIterable, Sendable { case random, extreme, zero }
    /// How a test fills the 8-bit activations: random in −128...127, all 127, all −128, or
    /// alternating 127 and −128.
    enum Activations: CaseIterable, Sendable { case random, maximum, minimum, alternating }

    @Test("q4_K dot product equals the scalar integer reference bit for bit", arguments: Weights.allCases, Activations.allCases)
    func q4K(weights: Weights, activations: Activations) {
        Self.compareWithReference(seed: 17, blockBytes: 144, weights: weights, activations: activations,
                                  fillScales: { w, b, random in
                                      Self.setHalf(&w, 144 * b, Self.half(weights, random: &random))
                                      Self.setHalf(&w, 144 * b + 2, Self.half(weights, random: &random))
                                  },
                                  fast: { w, x, d, sums, blocks in DotProduct.q4K(w, x, d, sums, blocks: blocks) },
                                  reference: { w, x, d, sums, blocks in Self.referenceQ4K(w, x, d, sums, blocks: blocks) })
    }

    @Test("q6_K dot product equals the scalar integer reference bit for bit", arguments: Weights.allCases, Activations.allCases)
    func q6K(weights: Weights, activations: Activations) {
        Self.compareWithReference(seed: 29, blockBytes: 210, weights: weights, activations: activations,
                                  fillScales: { w, b, random in
                                      if weights == .extreme {
                                          for k in 0..<16 { w[210 * b + 192 + k] = k % 2 == 0 ? 127 : 0x80 }
                                      }
                                      Self.setHalf(&w, 210 * b + 208, Self.half(weights, random: &random))
                                  },
                                  fast: { w, x, d, sums, blocks in DotProduct.q6K(w, x, d, sums, blocks: blocks) },
                                  reference: { w, x, d, _, blocks in Self.referenceQ6K(w, x, d, blocks: blocks) })
    }

    /// 24 trials of 1 to 6 blocks of `blockBytes` each: weight bytes as `weights` says, then
    /// `fillScales` sets each block's scales, then activations, their block scales and 16-value
    /// sums; the kernel's result must equal the reference's bit for bit.
    static func compareWithReference(
        seed: UInt64, blockBytes: Int, weights: Weights, activations: Activations,
        fillScales: (inout [UInt8], Int, inout SeededGenerator) -> Void,
        fast: (UnsafeRawPointer, [Int8], [Float], [Int32], Int) -> Float,
        reference: (UnsafeRawPointer, [Int8], [Float], [Int32], Int) -> Float
    ) {
        var random = SeededGenerator(seed: seed)
        for trial in 0..<24 {
            let blocks = 1 + trial % 6
            var w = Self.bytes(weights, count: blockBytes * blocks, random: &random)
            for b in 0..<blocks { fillScales(&w, b, &random) }
            let x = Self.activations(activations, count: 256 * blocks, random: &random)
            let (d, sums) = Self.scalesAndSums(x, random: &random)
            let fastResult = w.withUnsafeBytes { fast($0.baseAddress!, x, d, sums, blocks) }
            let referenceResult = w.withUnsafeBytes { reference($0.baseAddress!, x, d, sums, blocks) }
            #expect(fastResult.bitPattern == referenceResult.bitPattern, "trial \(trial): \(fastResult) vs \(referenceResult)")
        }
    }

    @Test("four-token kernels equal four single-token calls bit for bit", arguments: [WeightFormat.q4_K, .q6_K], Weights.allCases)
    func fourTokens(format: WeightFormat, weights: Weights) {
        var random = SeededGenerator(seed: 41)
        for blocks in 1...6 {
            let n = 256 * blocks
            var w = Self.bytes(weights, count: format.blockBytes * blocks, random: &random)
            for b in 0..<blocks {
                for offset in format == .q4_K ? [0, 2] : [208] {
                    Self.setHalf(&w, format.blockBytes * b + offset, Self.half(weights, random: &random))
                }
            }
            let x = Self.activations(.random, count: 4 * n, random: &random)
            let (d, sums) = Self.scalesAndSums(x, random: &random)
            w.withUnsafeBytes { raw in
                x.withUnsafeBufferPointer { x in
                    d.withUnsafeBufferPointer { d in
                        sums.withUnsafeBufferPointer { sums in
                            let (wp, xp, dp, sp) = (raw.baseAddress!, x.baseAddress!, d.baseAddress!, sums.baseAddress!)
                            let four = format == .q4_K ? DotProduct.q4Kx4(wp, xp, dp, sp, stride: n, blocks: blocks)
                                : DotProduct.q6Kx4(wp, xp, dp, sp, stride: n, blocks: blocks)
                            for t in 0..<4 {
                                let (xt, dt, st) = (xp + t * n, dp + t * blocks, sp + t * n / 16)
                                let one = format == .q4_K ? DotProduct.q4K(wp, xt, dt, st, blocks: blocks) : DotProduct.q6K(wp, xt, dt, st, blocks: blocks)
                                #expect(four[t].bitPattern == one.bitPattern, "\(blocks) blocks, token \(t): \(four[t]) vs \(one)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("q4_K scales and mins unpacked at once equal ggml's get_scale_min_k4 for every j")
    func q4KScalesMins() {
        var random = SeededGenerator(seed: 5)
        for _ in 0..<256 {
            let block = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
            block.withUnsafeBytes { raw in
                let (scales, mins) = DotProduct.q4KScalesMins(raw.baseAddress!)
                for j in 0..<8 {
                    let expected = Dequantize.q4KScaleMin(j, raw.baseAddress! + 4)
                    #expect(DotProduct.byte(scales, j) == Int16(expected.scale) && DotProduct.byte(mins, j) == Int16(expected.min), "block \(block), j \(j)")
                }
            }
        }
    }

    // MARK: Inputs

    static func bytes(_ weights: Weights, count: Int, random: inout SeededGenerator) -> [UInt8] {
        switch weights {
        case .random: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
        case .extreme: [UInt8](repeating: 0xFF, count: count)
        case .zero: [UInt8](repeating: 0, count: count)
        }
    }

    /// An f16 block scale: random in ±[2⁻¹², 2⁴), or the largest finite f16.
    static func half(_ weights: Weights, random: inout SeededGenerator) -> Float {
        if weights == .extreme { return 65504 }
        let magnitude = Float(sign: Bool.random(using: &random) ? .plus : .minus, exponent: Int.random(in: -12...3, using: &random),
                              significand: Float.random(in: 1..<2, using: &random))
        return Float(Float16(magnitude))
    }

    static func setHalf(_ bytes: inout [UInt8], _ offset: Int, _ value: Float) {
        let bits = Float16(value).bitPattern
        bytes[offset] = UInt8(bits & 0xFF)
        bytes[offset + 1] = UInt8(bits >> 8)
    }

    static func activations(_ activations: Activations, count: Int, random: inout SeededGenerator) -> [Int8] {
        (0..<count).map { i in
            switch activations {
            case .random: Int8.random(in: -128...127, using: &random)
            case .maximum: 127
            case .minimum: -128
            case .alternating: i % 2 == 0 ? 127 : -128
            }
        }
    }

    /// Q8_K's per-block scales (random) and sums of each 16 quants.
    static func scalesAndSums(_ x: [Int8], random: inout SeededGenerator) -> (scales: [Float], sums: [Int32]) {
        let scales = (0..<x.count / 256).map { _ in Float.random(in: 1e-4...1, using: &random) }
        let sums = (0..<x.count / 16).map { g in x[(16 * g)..<(16 * g + 16)].reduce(Int32(0)) { $0 + Int32($1) } }
        return (scales, sums)
    }

    // MARK: Scalar references (the kernels' loops before they used vector instructions)

    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(pointer.loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    /// Eight integer lanes (lane m: quants 4m..<4m+4 of each 32 times their scale) fused into
    /// float lanes with d·d8, four lanes of mins fused with −dmin·d8, summed as `hsum_float_8`.
    static func referenceQ4K(_ w: UnsafeRawPointer, _ q: [Int8], _ d: [Float], _ groupSums: [Int32], blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var accMins = SIMD4<Float>()
        for b in 0..<blocks {
            let block = w + 144 * b
            let scaleBytes = block + 4
            let qs = (block + 16).assumingMemoryBound(to: UInt8.self)
            var mins = SIMD4<Int32>()
            var lanes = SIMD8<Int32>()
            for chunk in 0..<4 {
                let (sc1, m1) = Dequantize.q4KScaleMin(2 * chunk, scaleBytes)
                let (sc2, m2) = Dequantize.q4KScaleMin(2 * chunk + 1, scaleBytes)
                let g = 16 * b + 4 * chunk
                mins[chunk] = Int32(m1) &* (groupSums[g] &+ groupSums[g + 1]) &+ Int32(m2) &* (groupSums[g + 2] &+ groupSums[g + 3])
                let wq = qs + 32 * chunk
                let yc = 256 * b + 64 * chunk
                for lane in 0..<8 {
                    var low: Int32 = 0, high: Int32 = 0
                    for k in 0..<4 {
                        let j = 4 * lane + k
                        low &+= Int32(wq[j] & 0xF) &* Int32(q[yc + j])
                        high &+= Int32(wq[j] >> 4) &* Int32(q[yc + j + 32])
                    }
                    lanes[lane] &+= low &* Int32(sc1) &+ high &* Int32(sc2)
                }
            }
            accMins.addProduct(SIMD4<Float>(repeating: -d[b] * half(block, 2)), SIMD4<Float>(mins))
            acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 0)), SIMD8<Float>(lanes))
        }
        let quarter = acc.lowHalf + acc.highHalf
        let pair = quarter.lowHalf + quarter.highHalf
        let minPair = accMins.lowHalf + accMins.highHalf
        return (pair[0] + pair[1]) + (minPair[0] + minPair[1])
    }

    /// Σ scale·(q − 32)·q8 per block in integers, then sum += d·d8·Σ.
    /// llama.cpp's split: lane i holds Σ scale·q·q8 over bytes 4i..<4i+4 of every 32 with the
    /// unsigned quants (0...63), minus 32·(scale·groupSum of groups 2i, 2i+1); each lane fused
    /// with d·d8 in float, then `hsum_float_8`.
    static func referenceQ6K(_ w: UnsafeRawPointer, _ q: [Int8], _ d: [Float], blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            let block = w + 210 * b
            let sc = (block + 192).assumingMemoryBound(to: Int8.self)
            var lanes = SIMD8<Int32>()
            for h in 0..<2 {
                let ql = (block + 64 * h).assumingMemoryBound(to: UInt8.self)
                let qh = (block + 128 + 32 * h).assumingMemoryBound(to: UInt8.self)
                for l in 0..<32 {
                    let high = Int32(qh[l])
                    let quants = [Int32(ql[l] & 0xF) | (high & 3) << 4, Int32(ql[l + 32] & 0xF) | ((high >> 2) & 3) << 4,
                                  Int32(ql[l] >> 4) | ((high >> 4) & 3) << 4, Int32(ql[l + 32] >> 4) | ((high >> 6) & 3) << 4]
                    for (k, quant) in quants.enumerated() {
                        let scale = Int32(sc[8 * h + 2 * k + l / 16])
                        lanes[l / 4] &+= scale &* quant &* Int32(q[256 * b + 128 * h + 32 * k + l])
                    }
                }
            }
            for i in 0..<8 {
                var groups: Int32 = 0
                for g in 2 * i..<2 * i + 2 {
                    groups &+= Int32(sc[g]) &* q[(256 * b + 16 * g)..<(256 * b + 16 * g + 16)].reduce(Int32(0)) { $0 &+ Int32($1) }
                }
                lanes[i] &-= 32 &* groups
            }
            acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 208)), SIMD8<Float>(lanes))
        }
        return DotProduct.sum8(acc)
    }
}

import Base
import Foundation
import Testing
@testable import Runtime

/// A small deterministic generator so that kernel tests are reproducible.
struct TestRandom {
    /// Started one step ahead of `seed`, as these tests' data always was.
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15) }
    mutating func next() -> UInt64 { generator.next() }
    /// Uniform in [-1, 1).
    mutating func float() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// Normalized squared error sum((a-b)²)/sum(b²).
func normalizedError(_ a: [Float], _ b: [Float]) -> Double {
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) { num += Double(x - y) * Double(x - y); den += Double(y) * Double(y) }
    return den == 0 ? num : num / den
}

/// Random rows of `format` with realistic block scales (random quants, small f16 scales).
func randomRows(_ format: WeightFormat, rows: Int, columns: Int, random: inout TestRandom) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: rows * format.rowBytes(columns))
    for i in bytes.indices { bytes[i] = random.byte() }
    func setHalf(_ offset: Int, _ value: Float) {
        let bits = HalfFloat.half(value)
        bytes[offset] = UInt8(bits & 0xff); bytes[offset + 1] = UInt8(bits >> 8)
    }
    let blocks = rows * columns / format.blockSize
    for b in 0..<blocks {
        let base = b * format.blockBytes
        switch format {
        case .f32:
            let bits = (random.float() * 2).bitPattern
            for k in 0..<4 { bytes[base + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(k))) }
        case .f16: setHalf(base, random.float() * 2)
        case .bf16:
            let bits = HalfFloat.bfloat(random.float() * 2)
            bytes[base] = UInt8(bits & 0xff); bytes[base + 1] = UInt8(bits >> 8)
        case .q8_0, .q4_0, .q5_0, .iq4_nl: setHalf(base, 0.01 + abs(random.float()) * 0.05)
        case .q4_1, .q5_1: setHalf(base, 0.01 + abs(random.float()) * 0.05); setHalf(base + 2, random.float() * 0.2)
        case .q4_K, .q5_K: setHalf(base, 0.001 + abs(random.float()) * 0.01); setHalf(base + 2, abs(random.float()) * 0.01)
        case .q2_K: setHalf(base + 80, 0.001 + abs(random.float()) * 0.01); setHalf(base + 82, abs(random.float()) * 0.01)
        case .q3_K: setHalf(base + 108, 0.001 + abs(random.float()) * 0.01)
        case .q6_K: setHalf(base + 208, 0.001 + abs(random.float()) * 0.01)
        }
    }
    return bytes
}

/// The activations as the integer kernels see them, back in floats (the plain reference input).
func dequantizedActivations(_ buffer: ActivationBuffer, count: Int) -> [Float] {
    switch buffer.format {
    case .f32: return (0..<count).map { buffer.floats[$0] }
    case .f16: return (0..<count).map { HalfFloat.float(fromHalf: buffer.halves[$0]) }
    case .bf16: return (0..<count).map { HalfFloat.float(fromBFloat: buffer.halves[$0]) }
    case .q8_0, .q8_1: return (0..<count).map { Float(buffer.quants[$0]) * buffer.scales[$0 / 32] }
    case .q8_K: return (0..<count).map { Float(buffer.quants[$0]) * buffer.scales[$0 / 256] }
    }
}

@Suite("Kernels")
struct KernelTests {
    @Test("matrix product equals the scalar dequantized reference", arguments: WeightFormat.allCases)
    func matrixProduct(format: WeightFormat) {
        var random = TestRandom(seed: 7)
        let rows = 37, columns = 512, tokens = 5
        let weights = randomRows(format, rows: rows, columns: columns, random: &random)
        let input = (0..<tokens * columns).map { _ in random.float() }
        let scratch = ActivationBuffer(capacity: tokens * columns)
        var output = [Float](repeating: 0, count: tokens * rows)
        weights.withUnsafeBytes { raw in
            let matrix = WeightMatrix(format: format, rows: rows, columns: columns, data: raw.baseAddress!)
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    MatrixProduct.multiply(matrix, x.baseAddress!, tokens: tokens, into: y.baseAddress!, scratch: scratch, threads: 2)
                }
            }
            let activations = dequantizedActivations(scratch, count: tokens * columns)
            var reference = [Float](repeating: 0, count: tokens * rows)
            var row = [Float](repeating: 0, count: columns)
            for r in 0..<rows {
                row.withUnsafeMutableBufferPointer { matrix.dequantizeRow(r, into: $0.baseAddress!) }
                for t in 0..<tokens {
                    var sum = 0.0
                    for c in 0..<columns { sum += Double(row[c]) * Double(activations[t * columns + c]) }
                    reference[t * rows + r] = Float(sum)
                }
            }
            let error = normalizedError(output, reference)
            print("kernel \(format) matrix product vs scalar reference: NMSE \(error)")
            // Q8_1 keeps each block's d·Σq as f16 (as llama.cpp does), a deliberate small rounding.
            #expect(error < (format == .q4_1 || format == .q5_1 ? 1e-7 : 1e-10))
        }
    }

    @Test("four-row decode kernels equal four single-row dot products bit for bit", arguments: [WeightFormat.q8_0, .q4_0, .q5_0, .q4_1, .q5_1])
    func fourRows(format: WeightFormat) {
        var random = TestRandom(seed: 11)
        let rows = 8, columns = 640
        let weights = randomRows(format, rows: rows, columns: columns, random: &random)
        let input = (0..<columns).map { _ in random.float() }
        let buffer = ActivationBuffer(capacity: columns)
        input.withUnsafeBufferPointer { buffer.convert($0.baseAddress!, rows: 1, columns: columns, to: format.activationFormat) }
        weights.withUnsafeBytes { raw in
            let matrix = WeightMatrix(format: format, rows: rows, columns: columns, data: raw.baseAddress!)
            #expect(matrix.hasFourRowKernel)
            for first in stride(from: 0, to: rows, by: 4) {
                let four = matrix.dotRows4(row: first, buffer)
                for k in 0..<4 {
                    let one = matrix.dot(row: first + k, buffer, token: 0)
                    #expect(four[k].bitPattern == one.bitPattern, "row \(first + k): four-row \(four[k]) vs \(one)")
                }
            }
        }
    }

    @Test("prompt batches (unpacked rows, eight tokens at a time) and decode steps equal single dot products bit for bit",
          arguments: WeightFormat.allCases)
    func batchesEqualSingleDots(format: WeightFormat) {
        var random = TestRandom(seed: 13)
        // 37 rows: two full tiles of 16 and a partial one; token counts with and without a tail.
        let rows = 37, columns = 512
        let weights = randomRows(format, rows: rows, columns: columns, random: &random)
        for tokens in [1, 8, 13, 21] {
            let input = (0..<tokens * columns).map { _ in random.float() }
            let scratch = ActivationBuffer(capacity: tokens * columns)
            var output = [Float](repeating: 0, count: tokens * rows)
            weights.withUnsafeBytes { raw in
                let matrix = WeightMatrix(format: format, rows: rows, columns: columns, data: raw.baseAddress!)
                input.withUnsafeBufferPointer { x in
                    output.withUnsafeMutableBufferPointer { y in
                        MatrixProduct.multiply(matrix, x.baseAddress!, tokens: tokens, into: y.baseAddress!, scratch: scratch, threads: 2)
                    }
                }
                let tiled = tokens >= 8 && matrix.roundsTiledInBatches
                var mismatches = 0
                for r in 0..<rows {
                    for t in 0..<tokens where output[t * rows + r].bitPattern != matrix.dot(row: r, scratch, token: t, tiled: tiled).bitPattern {
                        mismatches += 1
                    }
                }
                #expect(mismatches == 0, "\(format), \(tokens) tokens: \(mismatches) products differ from dot")
            }
        }
    }

    @Test("vector exp and SiLU equal the scalar llama.cpp approximation bit for bit, underflow and overflow included")
    func vectorExp() {
        var random = TestRandom(seed: 5)
        for round in 0..<4000 {
            // Mostly softmax/SiLU arguments, with every 8th round spanning the whole float range
            // where results underflow, turn subnormal or overflow.
            let spread: Float = round % 8 == 0 ? 120 : 20
            var x = SIMD16<Float>()
            for lane in 0..<16 { x[lane] = random.float() * spread }
            if round == 0 { x = SIMD16(-200, -103.5, -100, -87.4, -87.3, -0.0, 0, 1e-30, 88.7, 88.8, 89, 200, -1e-8, 0.5, -0.5, 3) }
            let vector = GGMLRounding.exp(x), silu = GGMLRounding.silu(x)
            for lane in 0..<16 {
                #expect(vector[lane].bitPattern == GGMLRounding.exp(x[lane]).bitPattern, "exp(\(x[lane]))")
                #expect(silu[lane].bitPattern == GGMLRounding.silu(x[lane]).bitPattern, "silu(\(x[lane]))")
            }
        }
    }

    @Test("byte dot lanes: lane i sums products 4i..<4i+4, in the instructions and the portable code")
    func byteDotLanes() {
        var random = TestRandom(seed: 11)
        for round in 0..<500 {
            // Nibbles (0-15) or magnitudes up to 127 against activations in -127...127; the
            // extremes are forced in the first rounds.
            let nibbles = round % 2 == 0
            var unsigned = SIMD32<UInt8>(), a = SIMD32<Int8>(), b = SIMD32<Int8>()
            for i in 0..<32 {
                let extreme = round < 4
                unsigned[i] = nibbles ? (extreme ? 15 : random.byte() & 0x0F) : random.byte()
                a[i] = extreme ? (i % 2 == 0 ? -127 : 127) : Int8(truncatingIfNeeded: random.byte() | 1) // never -128
                b[i] = extreme ? -127 : Int8(max(-127, Int(Int8(truncatingIfNeeded: random.byte()))))
            }
            var expectedSigned = SIMD8<Int32>(), expectedUnsigned = SIMD8<Int32>()
            for lane in 0..<8 {
                for k in 4 * lane..<4 * lane + 4 {
                    expectedSigned[lane] += Int32(a[k]) * Int32(b[k])
                    expectedUnsigned[lane] += Int32(unsigned[k]) * Int32(b[k])
                }
            }
            #expect(ByteDot.lanes(signed: a, signed: b) == expectedSigned)
            #expect(ByteDot.float(expectedSigned) == SIMD8<Float>((0..<8).map { Float(expectedSigned[$0]) }))
            if nibbles {
                #expect(ByteDot.lanes(unsigned: unsigned, signed: b) == expectedUnsigned)
                let u16 = unsafeBitCast(unsigned, to: SIMD16<Int16>.self), b16 = unsafeBitCast(b, to: SIMD16<Int16>.self)
                #expect(ByteDot.portable(even: u16 & 0xFF, odd: (u16 &>> 8) & 0xFF, even: (b16 &<< 8) &>> 8, odd: b16 &>> 8) == expectedUnsigned)
            }
            let a16 = unsafeBitCast(a, to: SIMD16<Int16>.self), b16 = unsafeBitCast(b, to: SIMD16<Int16>.self)
            #expect(ByteDot.portable(even: (a16 &<< 8) &>> 8, odd: a16 &>> 8, even: (b16 &<< 8) &>> 8, odd: b16 &>> 8) == expectedSigned)
        }
    }

    @Test("8-bit activations stay within a quant step of the input", arguments: [ActivationFormat.q8_0, .q8_1, .q8_K])
    func activationQuantization(format: ActivationFormat) {
        var random = TestRandom(seed: 3)
        let input = (0..<1024).map { _ in random.float() * 3 }
        let buffer = ActivationBuffer(capacity: 1024)
        input.withUnsafeBufferPointer { buffer.convert($0.baseAddress!, rows: 4, columns: 256, to: format) }
        let back = dequantizedActivations(buffer, count: 1024)
        let error = normalizedError(back, input)
        #expect(error < 1e-4)
        if format == .q8_1 {
            for b in 0..<32 {
                let sum = (0..<32).reduce(Float(0)) { $0 + Float(buffer.quants[32 * b + $1]) }
                #expect(abs(buffer.blockSums[b] - sum * buffer.scales[b]) <= abs(sum * buffer.scales[b]) * 2e-3)
            }
        }
        if format == .q8_K {
            for g in 0..<64 {
                #expect(buffer.groupSums[g] == (0..<16).reduce(Int32(0)) { $0 + Int32(buffer.quants[16 * g + $1]) })
            }
        }
    }

    @Test("RMSNorm, softmax (with the exp approximation) and RoPE equal plain formulas")
    func elementwise() {
        var random = TestRandom(seed: 11)
        let x = (0..<96).map { _ in random.float() }
        let w = (0..<96).map { _ in random.float() }
        var y = [Float](repeating: 0, count: 96)
        Normalization.rms(x, weight: w, epsilon: 1e-5, into: &y, count: 96)
        let meanSquare = x.reduce(0.0) { $0 + Double($1 * $1) } / 96
        let expected = (0..<96).map { Float(Double(x[$0]) / (meanSquare + 1e-5).squareRoot() * Double(w[$0])) }
        #expect(normalizedError(y, expected) < 1e-12)

        var s = x
        Attention.softmax(&s, count: 96)
        let exps = x.map { Foundation.exp(Double($0)) }
        let total = exps.reduce(0, +)
        #expect(normalizedError(s, exps.map { Float($0 / total) }) < 1e-12)

        for layout in [RotaryEmbedding.Layout.normal, .neox] {
            let rope = RotaryEmbedding(layout: layout, dimensions: 16, base: 10000, frequencyFactors: nil)
            var table = [Float](repeating: 0, count: 16)
            rope.fillTable(position: 5, &table)
            var v = Array(x[0..<32])
            rope.apply(&v, heads: 2, headSize: 16, table: table)
            var reference = Array(x[0..<32])
            for h in 0..<2 {
                for i in 0..<8 {
                    let angle = 5 * Foundation.pow(10000.0, -2.0 * Double(i) / 16)
                    let (a, b) = layout == .normal ? (16 * h + 2 * i, 16 * h + 2 * i + 1) : (16 * h + i, 16 * h + i + 8)
                    reference[a] = Float(Double(x[a]) * Foundation.cos(angle) - Double(x[b]) * Foundation.sin(angle))
                    reference[b] = Float(Double(x[a]) * Foundation.sin(angle) + Double(x[b]) * Foundation.cos(angle))
                }
            }
            #expect(normalizedError(v, reference) < 1e-10)
        }
    }

    @Test("grouped-query attention equals a plain per-head loop")
    func attention() {
        var random = TestRandom(seed: 5)
        let heads = 6, kvHeads = 2, headSize = 8, start = 3, tokens = 4, context = 16
        let positions = start + tokens
        let q = (0..<tokens * heads * headSize).map { _ in random.float() }
        let k = (0..<positions * kvHeads * headSize).map { _ in random.float() }
        let v = (0..<positions * kvHeads * headSize).map { _ in random.float() }
        var out = [Float](repeating: 0, count: tokens * heads * headSize)
        var scratch = [Float](repeating: 0, count: Attention.scratchCount(context: context, heads: heads, headSize: headSize, threads: 2))
        Attention.run(queries: q, keys: k, values: v, output: &out, tokens: tokens, start: start, heads: heads,
                      kvHeads: kvHeads, headSize: headSize, context: context, scratch: &scratch, threads: 2)
        var reference = [Float](repeating: 0, count: out.count)
        for t in 0..<tokens {
            for h in 0..<heads {
                let kv = h / (heads / kvHeads)
                let scores = (0...(start + t)).map { p in
                    (0..<headSize).reduce(0.0) { $0 + Double(q[(t * heads + h) * headSize + $1]) * Double(k[(p * kvHeads + kv) * headSize + $1]) } / Double(headSize).squareRoot()
                }
                let m = scores.max() ?? 0
                let e = scores.map { Foundation.exp($0 - m) }
                let z = e.reduce(0, +)
                for j in 0..<headSize {
                    reference[(t * heads + h) * headSize + j] = Float((0..<e.count).reduce(0.0) { $0 + e[$1] / z * Double(v[($1 * kvHeads + kv) * headSize + j]) })
                }
            }
        }
        #expect(normalizedError(out, reference) < 1e-10)
    }
}

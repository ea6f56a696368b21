/// The Q2_K, Q3_K and Q5_K dot products with Q8_K activations, and IQ4_NL with Q8_0, rounded as
/// llama.cpp's AVX2 kernels (`ggml_vec_dot_<type>_q8_K` in ggml-cpu/arch/x86/quants.c, as
/// llama-cpp-python 0.3.36 vendors it): eight integer lanes per super-block from `ByteDot`'s byte
/// multiply-adds with the 16- or 32-value scales in the second instruction, converted to float
/// and fused with d·d8 into eight float lanes, reduced by `sum8` (ggml's `hsum_float_8`). The
/// mins go where llama.cpp puts them: Q2_K's eight lanes of min·(group sum) into the same
/// accumulator first, Q5_K's one integer per block into a scalar sum. `KQuantReferenceTests`
/// compares each with llama.cpp's own function bit for bit.
extension DotProduct {
    /// The 32 quants of group `k` (0..<4) of a 128-value half: bits 2k, 2k+1 of each byte.
    @inline(__always)
    static func twoBits(_ packed: SIMD8<UInt32>, _ k: Int) -> SIMD32<UInt8> {
        bytes((packed &>> UInt32(2 * k)) & 0x0303_0303)
    }

    /// Q2_K row · Q8_K activations. Block: scales[16] at 0, qs[64] at 16, f16 d at 80, f16 dmin
    /// at 82; group g (16 values) has scale `scales[g] & 15` and min `scales[g] >> 4`.
    @inline(__always)
    static func q2K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 84 * b
            let packedScales = block.loadUnaligned(as: SIMD16<UInt8>.self)
            let scales = packedScales & 0x0F, mins = packedScales &>> 4
            // Lane i: min[2i]·sum[2i] + min[2i+1]·sum[2i+1] (`vpmaddwd` of the mins and Q8_K bsums).
            let g = groupSums + 16 * b
            var minLanes = SIMD8<Int32>()
            for i in 0..<8 { minLanes[i] = Int32(mins[2 * i]) &* g[2 * i] &+ Int32(mins[2 * i + 1]) &* g[2 * i + 1] }
            acc.addProduct(SIMD8<Float>(repeating: -d[b] * half(block, 82)), ByteDot.float(minLanes))
            var lanes = SIMD8<Int32>()
            for h in 0..<2 {
                let packed = block.loadUnaligned(fromByteOffset: 16 + 32 * h, as: SIMD8<UInt32>.self)
                for k in 0..<4 {
                    let s = ByteDot.scales(Int16(scales[8 * h + 2 * k]), Int16(scales[8 * h + 2 * k + 1]))
                    lanes &+= ByteDot.lanes(unsigned: twoBits(packed, k), signed: y.loadUnaligned(fromByteOffset: 256 * b + 128 * h + 32 * k, as: SIMD32<Int8>.self), scales: s)
                }
            }
            acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 80)), ByteDot.float(lanes))
        }
        return sum8(acc)
    }

    /// Q3_K row · Q8_K activations. Block: hmask[32] at 0, qs[64] at 32, scales[12] at 96, f16
    /// d at 108. The signed quant (low 2 bits) − 4·(high bit clear) is multiplied as llama.cpp
    /// does: low bits times q8 minus (4 where the high bit is clear) times q8, in 16-bit pairs.
    @inline(__always)
    static func q3K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int, tiled: Bool = false) -> Float {
        var acc = SIMD8<Float>()
        var tiledSum: Float = 0
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 110 * b
            let scales = Dequantize.q3KScales(block + 96)
            let hbits = block.loadUnaligned(as: SIMD8<UInt32>.self)
            var lanes = SIMD8<Int32>()
            for h in 0..<2 {
                let packed = block.loadUnaligned(fromByteOffset: 32 + 32 * h, as: SIMD8<UInt32>.self)
                for k in 0..<4 {
                    let bit = UInt32(4 * h + k)
                    // 4 where bit `bit` of the hmask byte is clear, else 0.
                    let four = bytes(((~hbits &>> bit) & 0x0101_0101) &<< 2)
                    let s = ByteDot.scales(Int16(scales[8 * h + 2 * k]), Int16(scales[8 * h + 2 * k + 1]))
                    lanes &+= ByteDot.lanes(unsigned: twoBits(packed, k), minus: four,
                                            signed: y.loadUnaligned(fromByteOffset: 256 * b + 128 * h + 32 * k, as: SIMD32<Int8>.self), scales: s)
                }
            }
            if tiled {
                tiledSum += tiledTerm(lanes.wrappedSum(), d: half(block, 108), d8: d[b])
            } else {
                acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 108)), ByteDot.float(lanes))
            }
        }
        return tiled ? tiledSum : sum8(acc)
    }

    /// The 64 five-bit quants of chunk `c` of a Q5_K block: nibbles of `qs[32c..<32c+32]` with
    /// bit 2c (low nibbles) or 2c + 1 (high nibbles) of `qh` as the fifth bit.
    @inline(__always)
    static func q5KChunk(_ block: UnsafeRawPointer, _ qh: SIMD8<UInt32>, _ c: Int) -> (low: SIMD32<UInt8>, high: SIMD32<UInt8>) {
        let packed = block.loadUnaligned(fromByteOffset: 48 + 32 * c, as: SIMD8<UInt32>.self)
        let fifth = qh &>> UInt32(2 * c)
        return (bytes((packed & 0x0F0F_0F0F) | (fifth & 0x0101_0101) &<< 4),
                bytes(((packed &>> 4) & 0x0F0F_0F0F) | (fifth & 0x0202_0202) &<< 3))
    }

    /// Q5_K's integer min term of a block: Σ min[j]·(group sums 2j and 2j+1).
    @inline(__always)
    static func q5KMinSum(_ mins: UInt64, _ g: UnsafePointer<Int32>) -> Int32 {
        var sum: Int32 = 0
        for j in 0..<8 { sum &+= Int32(byte(mins, j)) &* (g[2 * j] &+ g[2 * j + 1]) }
        return sum
    }

    /// Q5_K row · Q8_K activations. Block: f16 d, f16 dmin, scales[12] (Q4_K's 6-bit scales and
    /// mins), qh[32] at 16, qs[128] at 48. llama.cpp adds −dmin·d8·(integer min sum) to a scalar
    /// per block (fused, as GCC contracts `summs += dmin * sum`) and the scalar to `hsum_float_8`.
    @inline(__always)
    static func q5K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int,
                    tiled: Bool = false) -> Float {
        var acc = SIMD8<Float>()
        var summs: Float = 0
        var tiledSum: Float = 0
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 176 * b
            let (scales, mins) = q4KScalesMins(block)
            let minSum = q5KMinSum(mins, groupSums + 16 * b)
            if !tiled { summs = summs.addingProduct(-d[b] * half(block, 2), Float(minSum)) }
            let qh = block.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt32>.self)
            var lanes = SIMD8<Int32>()
            for chunk in 0..<4 {
                let (low, high) = q5KChunk(block, qh, chunk)
                lanes &+= q4KChunk(low: low, high: high, SIMD16(repeating: byte(scales, 2 * chunk)), SIMD16(repeating: byte(scales, 2 * chunk + 1)),
                                   y + 256 * b + 64 * chunk)
            }
            if tiled {
                tiledSum += tiledTerm(lanes.wrappedSum(), d: half(block, 0), d8: d[b], s2: minSum, dmin: half(block, 2))
            } else {
                acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 0)), ByteDot.float(lanes))
            }
        }
        return tiled ? tiledSum : sum8(acc) + summs
    }

    /// `q5K` for four activation rows `stride` values apart (prompt processing); the same
    /// rounding per row.
    @inline(__always)
    static func q5Kx4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>,
                      stride: Int, blocks: Int, tiled: Bool = false) -> SIMD4<Float> {
        var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var summs = SIMD4<Float>()
        var tiledSums = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 176 * b
            let (scales, mins) = q4KScalesMins(block)
            let qh = block.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt32>.self)
            var lanes = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
            for chunk in 0..<4 {
                let (low, high) = q5KChunk(block, qh, chunk)
                let s1 = SIMD16<Int16>(repeating: byte(scales, 2 * chunk)), s2 = SIMD16<Int16>(repeating: byte(scales, 2 * chunk + 1))
                @inline(__always) func part(_ t: Int) -> SIMD8<Int32> { q4KChunk(low: low, high: high, s1, s2, y + t * stride + 256 * b + 64 * chunk) }
                lanes.0 &+= part(0); lanes.1 &+= part(1); lanes.2 &+= part(2); lanes.3 &+= part(3)
            }
            let dx = half(block, 0), mx = half(block, 2)
            @inline(__always) func fuse(_ t: Int, _ lanes: SIMD8<Int32>, _ acc: inout SIMD8<Float>) {
                let d8 = d[t * stride / 256 + b]
                let minSum = q5KMinSum(mins, groupSums + t * stride / 16 + 16 * b)
                if tiled {
                    tiledSums[t] += tiledTerm(lanes.wrappedSum(), d: dx, d8: d8, s2: minSum, dmin: mx)
                } else {
                    summs[t] = summs[t].addingProduct(-d8 * mx, Float(minSum))
                    acc.addProduct(SIMD8<Float>(repeating: d8 * dx), ByteDot.float(lanes))
                }
            }
            fuse(0, lanes.0, &acc.0); fuse(1, lanes.1, &acc.1); fuse(2, lanes.2, &acc.2); fuse(3, lanes.3, &acc.3)
        }
        return tiled ? tiledSums : SIMD4(sum8(acc.0), sum8(acc.1), sum8(acc.2), sum8(acc.3)) + summs
    }

    /// IQ4_NL row · Q8_0 activations: each nibble picks one of 16 fixed int8 levels
    /// (`Dequantize.iq4NLTable`), then the signed products as Q4_0's. llama.cpp alternates two
    /// accumulators over pairs of blocks, adds them before `hsum_float_8`, and finishes an odd
    /// last block in scalar code (fused, as GCC contracts `sumf += d * sumi`).
    @inline(__always)
    static func iq4NL(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var even = SIMD8<Float>(), odd = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        @inline(__always) func lanes(_ b: Int) -> SIMD8<Float> {
            let x = ByteDot.lookup(Dequantize.iq4NLTable, nibbles(w.loadUnaligned(fromByteOffset: 18 * b + 2, as: SIMD16<UInt8>.self)))
            return ByteDot.float(ByteDot.lanes(signed: x, signed: y.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self)))
        }
        var b = 0
        while b + 1 < blocks {
            even.addProduct(SIMD8<Float>(repeating: d[b] * half(w, 18 * b)), lanes(b))
            odd.addProduct(SIMD8<Float>(repeating: d[b + 1] * half(w, 18 * b + 18)), lanes(b + 1))
            b += 2
        }
        var sum = sum8(even + odd)
        if b < blocks {
            let x = ByteDot.lookup(Dequantize.iq4NLTable, nibbles(w.loadUnaligned(fromByteOffset: 18 * b + 2, as: SIMD16<UInt8>.self)))
            var integer: Int32 = 0
            for j in 0..<32 { integer &+= Int32(x[j]) &* Int32(q[32 * b + j]) }
            sum = sum.addingProduct(d[b] * half(w, 18 * b), Float(integer))
        }
        return sum
    }
}

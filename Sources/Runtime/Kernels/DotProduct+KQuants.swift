/// The K-quant dot products: Q4_K and Q6_K rows (super-blocks of 256 values) with Q8_K
/// activations, for one activation row and for four at once (prompt processing unpacks each
/// weight block once per four tokens). The integer sums go through `ByteDot`'s byte
/// multiply-adds with the block scales applied in the same instruction pair (`vpmaddubsw` +
/// `vpmaddwd`, as llama.cpp's AVX2 kernels); integers are exact and the float order is the same
/// in both variants, so a four-token call equals four single-token calls bit for bit. (The
/// single-token kernels are written out on their own: running them through the four-token code
/// cost 5-15% in a microbenchmark, and the two prefer different shapes of the min sums.)
extension DotProduct {
    /// One super-block's share of a product as llama.cpp's tiled matrix product rounds it
    /// (`ggml-cpu/tiled`, the AVX-512 VNNI microkernel, which llama.cpp 0.3.36 runs for Q3_K,
    /// Q5_K and Q6_K weights times eight or more activation rows instead of `ggml_vec_dot`): the
    /// block's exact integer sum `s1` (and, with mins, `s2` = Σ min · group sums) become float
    /// once, `r = fma(−dmin, s2, s1 · d)`, and the row's sum adds `r · d8` block by block from 0.
    @inline(__always)
    static func tiledTerm(_ s1: Int32, d: Float, d8: Float, s2: Int32 = 0, dmin: Float = 0) -> Float {
        // Without mins (Q3_K, Q6_K) the fused term is −0 · 0, which leaves the product as it is.
        (Float(s1) * d).addingProduct(-dmin, Float(s2)) * d8
    }

    /// The eight 6-bit scales and eight 6-bit mins of a Q4_K block, one per byte (ggml's
    /// `get_scale_min_k4` for all j at once, the bit shuffle of llama.cpp's `utmp`).
    @inline(__always)
    static func q4KScalesMins(_ block: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
        let s0 = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let s1 = block.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let s2 = block.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        let scalesHigh = (s2 & 0x0F0F_0F0F) | ((s0 >> 6) & 0x0303_0303) << 4
        let minsHigh = ((s2 >> 4) & 0x0F0F_0F0F) | ((s1 >> 6) & 0x0303_0303) << 4
        return (UInt64(s0 & 0x3F3F_3F3F) | UInt64(scalesHigh) << 32, UInt64(s1 & 0x3F3F_3F3F) | UInt64(minsHigh) << 32)
    }

    /// 32-bit words as their bytes. The kernels mask and shift packed quants in 32-bit lanes
    /// (with per-byte masks): the standard library's byte-lane shifts and scalar-operand masks
    /// on `SIMD32<UInt8>` compiled to a loop over the 32 bytes.
    @inline(__always)
    static func bytes(_ words: SIMD8<UInt32>) -> SIMD32<UInt8> { unsafeBitCast(words, to: SIMD32<UInt8>.self) }

    /// Byte `j` of `packed` as a 16-bit integer.
    @inline(__always)
    static func byte(_ packed: UInt64, _ j: Int) -> Int16 { Int16(truncatingIfNeeded: (packed >> (8 * j)) & 0xFF) }

    /// Q4_K's integer min lane of chunk `c` of a super-block: min[2c]·(Σ of activation groups
    /// 4c, 4c+1) + min[2c+1]·(Σ of groups 4c+2, 4c+3), `g` the block's 16 group sums.
    @inline(__always)
    static func q4KMinSum(_ mins: UInt64, _ g: UnsafePointer<Int32>, _ c: Int) -> Int32 {
        Int32(byte(mins, 2 * c)) &* (g[4 * c] &+ g[4 * c + 1]) &+ Int32(byte(mins, 2 * c + 1)) &* (g[4 * c + 2] &+ g[4 * c + 3])
    }

    /// The four min lanes of a super-block at once (`q4Kx4`, where LLVM vectorizes them).
    @inline(__always)
    static func q4KMinSums(_ mins: UInt64, _ g: UnsafePointer<Int32>) -> SIMD4<Int32> {
        SIMD4(q4KMinSum(mins, g, 0), q4KMinSum(mins, g, 1), q4KMinSum(mins, g, 2), q4KMinSum(mins, g, 3))
    }

    /// Q4_K's eight integer lanes of one 64-value chunk: low nibbles times the first 32
    /// activations `y` with scale `s1`, high nibbles times the next 32 with scale `s2`.
    @inline(__always)
    static func q4KChunk(low: SIMD32<UInt8>, high: SIMD32<UInt8>, _ s1: SIMD16<Int16>, _ s2: SIMD16<Int16>, _ y: UnsafeRawPointer) -> SIMD8<Int32> {
        ByteDot.lanes(unsigned: low, signed: y.loadUnaligned(as: SIMD32<Int8>.self), scales: s1)
            &+ ByteDot.lanes(unsigned: high, signed: y.loadUnaligned(fromByteOffset: 32, as: SIMD32<Int8>.self), scales: s2)
    }

    /// Q4_K row · Q8_K activations (`blocks` super-blocks of 256), rounded as llama.cpp's AVX2
    /// `ggml_vec_dot_q4_K_q8_K`: eight integer lanes (lane m sums quants 4m..<4m+4 of each 32,
    /// times their scale) fused into float lanes with d, four lanes of mins (Σ min · group sums
    /// of the activations) fused with −dmin.
    @inline(__always)
    static func q4K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var accMins = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 144 * b
            let (scales, mins) = q4KScalesMins(block)
            var lanes = SIMD8<Int32>()
            var minSums = SIMD4<Int32>()
            for chunk in 0..<4 {
                let packed = block.loadUnaligned(fromByteOffset: 16 + 32 * chunk, as: SIMD8<UInt32>.self)
                lanes &+= q4KChunk(low: bytes(packed & 0x0F0F_0F0F), high: bytes((packed &>> 4) & 0x0F0F_0F0F),
                                   SIMD16(repeating: byte(scales, 2 * chunk)), SIMD16(repeating: byte(scales, 2 * chunk + 1)), y + 256 * b + 64 * chunk)
                minSums[chunk] = q4KMinSum(mins, groupSums + 16 * b, chunk)
            }
            accMins.addProduct(SIMD4<Float>(repeating: -d[b] * half(block, 2)), SIMD4<Float>(minSums))
            acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 0)), ByteDot.float(lanes))
        }
        let minPair = accMins.lowHalf + accMins.highHalf
        return sum8(acc) + (minPair[0] + minPair[1])
    }

    /// `q4K` for four activation rows `stride` values apart (prompt processing: each weight
    /// block is unpacked once per four tokens); the same rounding per row.
    @inline(__always)
    static func q4Kx4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>,
                      stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var accMins = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 144 * b
            let (scales, mins) = q4KScalesMins(block)
            var lanes = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
            for chunk in 0..<4 {
                let packed = block.loadUnaligned(fromByteOffset: 16 + 32 * chunk, as: SIMD8<UInt32>.self)
                let low = bytes(packed & 0x0F0F_0F0F), high = bytes((packed &>> 4) & 0x0F0F_0F0F)
                let s1 = SIMD16<Int16>(repeating: byte(scales, 2 * chunk)), s2 = SIMD16<Int16>(repeating: byte(scales, 2 * chunk + 1))
                @inline(__always) func part(_ t: Int) -> SIMD8<Int32> { q4KChunk(low: low, high: high, s1, s2, y + t * stride + 256 * b + 64 * chunk) }
                lanes.0 &+= part(0); lanes.1 &+= part(1); lanes.2 &+= part(2); lanes.3 &+= part(3)
            }
            let dx = half(block, 0), mx = half(block, 2)
            @inline(__always) func fuse(_ t: Int, _ lanes: SIMD8<Int32>, _ acc: inout SIMD8<Float>, _ accMins: inout SIMD4<Float>) {
                let d8 = d[t * stride / 256 + b]
                let minSums = q4KMinSums(mins, groupSums + t * stride / 16 + 16 * b)
                accMins.addProduct(SIMD4<Float>(repeating: -d8 * mx), SIMD4<Float>(minSums))
                acc.addProduct(SIMD8<Float>(repeating: d8 * dx), ByteDot.float(lanes))
            }
            fuse(0, lanes.0, &acc.0, &accMins.0); fuse(1, lanes.1, &acc.1, &accMins.1)
            fuse(2, lanes.2, &acc.2, &accMins.2); fuse(3, lanes.3, &acc.3, &accMins.3)
        }
        @inline(__always) func total(_ acc: SIMD8<Float>, _ accMins: SIMD4<Float>) -> Float {
            let minPair = accMins.lowHalf + accMins.highHalf
            return sum8(acc) + (minPair[0] + minPair[1])
        }
        return SIMD4(total(acc.0, accMins.0), total(acc.1, accMins.1), total(acc.2, accMins.2), total(acc.3, accMins.3))
    }

    /// The four 32-value groups of one half (128 values) of a Q6_K block as unsigned 6-bit
    /// quants 0...63 (value − 32 is the signed quant), in activation order: ggml's layout keeps
    /// the low 4 bits of values l and l+64 in `ql[l]`, of l+32 and l+96 in `ql[l+32]`, and the
    /// high 2 bits of l, l+32, l+64, l+96 in `qh[l]`.
    @inline(__always)
    static func q6KQuants(_ ql: UnsafeRawPointer, _ qh: UnsafeRawPointer) -> (SIMD32<UInt8>, SIMD32<UInt8>, SIMD32<UInt8>, SIMD32<UInt8>) {
        let low0 = ql.loadUnaligned(as: SIMD8<UInt32>.self), low1 = ql.loadUnaligned(fromByteOffset: 32, as: SIMD8<UInt32>.self)
        let high = qh.loadUnaligned(as: SIMD8<UInt32>.self)
        let nibble: SIMD8<UInt32> = SIMD8(repeating: 0x0F0F_0F0F)
        return (bytes((low0 & nibble) | (high & 0x0303_0303) &<< 4), bytes((low1 & nibble) | (high & 0x0C0C_0C0C) &<< 2),
                bytes((low0 &>> 4) & nibble | (high & 0x3030_3030)), bytes((low1 &>> 4) & nibble | (high & 0xC0C0_C0C0) &>> 2))
    }

    /// 32 × (scale·groupSum of groups 2i and 2i+1) in lane i (llama.cpp's `q8sclsub`, a
    /// `vpmaddwd` of the Q8_K bsums by the 16 scales): subtracted lane by lane, it turns the
    /// unsigned quants' products into the signed ones'.
    @inline(__always)
    static func q6KOffsets(_ scales: UnsafePointer<Int8>, _ g: UnsafePointer<Int32>) -> SIMD8<Int32> {
        var offsets = SIMD8<Int32>()
        for i in 0..<8 { offsets[i] = Int32(scales[2 * i]) &* g[2 * i] &+ Int32(scales[2 * i + 1]) &* g[2 * i + 1] }
        return offsets &<< 5
    }

    /// The `ByteDot` scales of 32-value group `k` of a Q6_K half block (`s`: its 8 scales).
    @inline(__always)
    static func q6KScales(_ s: UnsafePointer<Int8>, _ k: Int) -> SIMD16<Int16> { ByteDot.scales(Int16(s[2 * k]), Int16(s[2 * k + 1])) }

    /// Q6_K row · Q8_K activations (`groupSums`: Σ of each 16 activation quants), rounded as
    /// llama.cpp's AVX2 `ggml_vec_dot_q6_K_q8_K`: eight integer lanes of Σ scale·q·q8 with the
    /// unsigned quants (0...63, `vpmaddubsw` + `vpmaddwd` by the per-16 scales), minus
    /// `q6KOffsets` lane by lane (so the lanes hold signed products in llama.cpp's split), fused
    /// with d·d8 into eight float lanes and reduced by `sum8`.
    @inline(__always)
    static func q6K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int,
                    tiled: Bool = false) -> Float {
        var acc = SIMD8<Float>()
        var tiledSum: Float = 0
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 210 * b
            let sc = (block + 192).assumingMemoryBound(to: Int8.self)
            var lanes = SIMD8<Int32>()
            for h in 0..<2 {
                let (q1, q2, q3, q4) = q6KQuants(block + 64 * h, block + 128 + 32 * h)
                let yh = y + 256 * b + 128 * h, s = sc + 8 * h
                @inline(__always) func group(_ x: SIMD32<UInt8>, _ k: Int) -> SIMD8<Int32> {
                    ByteDot.lanes(unsigned: x, signed: yh.loadUnaligned(fromByteOffset: 32 * k, as: SIMD32<Int8>.self), scales: q6KScales(s, k))
                }
                lanes &+= group(q1, 0) &+ group(q2, 1) &+ group(q3, 2) &+ group(q4, 3)
            }
            let signed = lanes &- q6KOffsets(sc, groupSums + 16 * b)
            if tiled {
                tiledSum += tiledTerm(signed.wrappedSum(), d: half(block, 208), d8: d[b])
            } else {
                acc.addProduct(SIMD8<Float>(repeating: d[b] * half(block, 208)), ByteDot.float(signed))
            }
        }
        return tiled ? tiledSum : sum8(acc)
    }

    /// `q6K` for four activation rows `stride` values apart; the same rounding per row.
    @inline(__always)
    static func q6Kx4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>,
                      stride: Int, blocks: Int, tiled: Bool = false) -> SIMD4<Float> {
        var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var tiledSums = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 210 * b
            let sc = (block + 192).assumingMemoryBound(to: Int8.self)
            var lanes = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
            for h in 0..<2 {
                let (q1, q2, q3, q4) = q6KQuants(block + 64 * h, block + 128 + 32 * h)
                let s = sc + 8 * h
                let s1 = q6KScales(s, 0), s2 = q6KScales(s, 1), s3 = q6KScales(s, 2), s4 = q6KScales(s, 3)
                @inline(__always) func part(_ t: Int) -> SIMD8<Int32> {
                    let yh = y + t * stride + 256 * b + 128 * h
                    @inline(__always) func group(_ x: SIMD32<UInt8>, _ k: Int, _ scales: SIMD16<Int16>) -> SIMD8<Int32> {
                        ByteDot.lanes(unsigned: x, signed: yh.loadUnaligned(fromByteOffset: 32 * k, as: SIMD32<Int8>.self), scales: scales)
                    }
                    return group(q1, 0, s1) &+ group(q2, 1, s2) &+ group(q3, 2, s3) &+ group(q4, 3, s4)
                }
                lanes.0 &+= part(0); lanes.1 &+= part(1); lanes.2 &+= part(2); lanes.3 &+= part(3)
            }
            let dx = half(block, 208)
            @inline(__always) func fuse(_ t: Int, _ lanes: SIMD8<Int32>, _ acc: inout SIMD8<Float>) {
                let signed = lanes &- q6KOffsets(sc, groupSums + t * stride / 16 + 16 * b)
                if tiled {
                    tiledSums[t] += tiledTerm(signed.wrappedSum(), d: dx, d8: d[t * stride / 256 + b])
                } else {
                    acc.addProduct(SIMD8<Float>(repeating: d[t * stride / 256 + b] * dx), ByteDot.float(signed))
                }
            }
            fuse(0, lanes.0, &acc.0); fuse(1, lanes.1, &acc.1); fuse(2, lanes.2, &acc.2); fuse(3, lanes.3, &acc.3)
        }
        return tiled ? tiledSums : SIMD4(sum8(acc.0), sum8(acc.1), sum8(acc.2), sum8(acc.3))
    }
}

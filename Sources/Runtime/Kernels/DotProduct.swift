/// Dot products of one stored weight row with one converted activation row, one function per
/// weight format. Integer formats multiply 8-bit quants in 32-bit integer arithmetic per block
/// (written as plain wrapping loops, which LLVM turns into AVX-512/VNNI multiply-adds) and scale
/// each block's integer sum in float, exactly as ggml's `vec_dot_*` functions do.
enum DotProduct {
    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfFloat.float(fromHalf: pointer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// f32 row · f32 activations, `count` values.
    @inline(__always)
    static func f32(_ w: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        let wx = UnsafeRawPointer(x)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            a0.addProduct(w.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self), wx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
            a1.addProduct(w.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self), wx.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD16<Float>.self))
            i += 32
        }
        var sum = (a0 + a1).sum()
        while i < count {
            sum += w.load(fromByteOffset: 4 * i, as: Float.self) * x[i]
            i += 1
        }
        return sum
    }

    /// f16 row · f16 activations (converted to f32 and multiplied in f32, as ggml does).
    @inline(__always)
    static func f16(_ w: UnsafeRawPointer, _ x: UnsafePointer<UInt16>, count: Int) -> Float {
        let wx = UnsafeRawPointer(x)
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
        var i = 0
        while i + 32 <= count {
            a0.addProduct(SIMD16<Float>(w.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<Float16>.self)),
                          SIMD16<Float>(wx.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<Float16>.self)))
            a1.addProduct(SIMD16<Float>(w.loadUnaligned(fromByteOffset: 2 * i + 32, as: SIMD16<Float16>.self)),
                          SIMD16<Float>(wx.loadUnaligned(fromByteOffset: 2 * i + 32, as: SIMD16<Float16>.self)))
            i += 32
        }
        var sum = (a0 + a1).sum()
        while i < count {
            sum += half(w, 2 * i) * HalfFloat.float(fromHalf: x[i])
            i += 1
        }
        return sum
    }

    /// bf16 row · bf16 activations. Pairs of bf16 are read as one 32-bit lane: shifting left by
    /// 16 gives the even element as an f32, masking the low half gives the odd one.
    @inline(__always)
    static func bf16(_ w: UnsafeRawPointer, _ x: UnsafePointer<UInt16>, count: Int) -> Float {
        let wx = UnsafeRawPointer(x)
        var even = SIMD16<Float>(), odd = SIMD16<Float>()
        var i = 0
        let mask = SIMD16<UInt32>(repeating: 0xffff_0000)
        while i + 32 <= count {
            let a = w.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<UInt32>.self)
            let b = wx.loadUnaligned(fromByteOffset: 2 * i, as: SIMD16<UInt32>.self)
            even.addProduct(unsafeBitCast(a &<< 16, to: SIMD16<Float>.self), unsafeBitCast(b &<< 16, to: SIMD16<Float>.self))
            odd.addProduct(unsafeBitCast(a & mask, to: SIMD16<Float>.self), unsafeBitCast(b & mask, to: SIMD16<Float>.self))
            i += 32
        }
        var sum = (even + odd).sum()
        while i < count {
            sum += HalfFloat.float(fromBFloat: w.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) * HalfFloat.float(fromBFloat: x[i])
            i += 1
        }
        return sum
    }

    /// Q8_0 row · Q8_0 activations (`blocks` blocks of 32).
    @inline(__always)
    static func q8_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + 34 * b
            let wq = (block + 2).assumingMemoryBound(to: Int8.self)
            let y = q + 32 * b
            var s: Int32 = 0
            for j in 0..<32 { s &+= Int32(wq[j]) &* Int32(y[j]) }
            sum += half(block, 0) * d[b] * Float(s)
        }
        return sum
    }

    /// Q4_0 row · Q8_0 activations.
    @inline(__always)
    static func q4_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + 18 * b
            let wq = (block + 2).assumingMemoryBound(to: UInt8.self)
            let y = q + 32 * b
            var s: Int32 = 0
            for j in 0..<16 {
                s &+= (Int32(wq[j] & 0xF) &- 8) &* Int32(y[j])
                s &+= (Int32(wq[j] >> 4) &- 8) &* Int32(y[j + 16])
            }
            sum += half(block, 0) * d[b] * Float(s)
        }
        return sum
    }

    /// Q4_1 row · Q8_1 activations: d·d8·Σq·q8 + m·s8 per block.
    ///
    /// Rounds exactly as llama.cpp's AVX2 `ggml_vec_dot_q4_1_q8_1` (as built here, with FMA):
    /// eight float lanes, lane i accumulating fma(d·d8, Σ of quant products 4i..<4i+4, lane),
    /// summed as (l0+l4 + l2+l6) + (l1+l5 + l3+l7), plus the fma-accumulated m·s8 terms. SmolLM2's
    /// 30 layers re-quantize every activation to 8 bits, so a last-bit difference here can flip a
    /// quant and grow; matching the order removes that source of divergence.
    @inline(__always)
    static func q4_1(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var summs: Float = 0
        for b in 0..<blocks {
            let block = w + 20 * b
            let wq = (block + 4).assumingMemoryBound(to: UInt8.self)
            let y = q + 32 * b
            var lanes = SIMD8<Int32>()
            for lane in 0..<4 {
                var low: Int32 = 0, high: Int32 = 0
                for k in 0..<4 {
                    let j = 4 * lane + k
                    low &+= Int32(wq[j] & 0xF) &* Int32(y[j])
                    high &+= Int32(wq[j] >> 4) &* Int32(y[j + 16])
                }
                lanes[lane] = low
                lanes[lane + 4] = high
            }
            summs = summs.addingProduct(half(block, 2), s8[b])
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), SIMD8<Float>(lanes))
        }
        let quarter = acc.lowHalf + acc.highHalf
        let pair = quarter.lowHalf + quarter.highHalf
        return (pair[0] + pair[1]) + summs
    }

    /// Q4_K row · Q8_K activations (`blocks` super-blocks of 256).
    @inline(__always)
    static func q4K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + 144 * b
            let y = q + 256 * b
            let scaleBytes = block + 4
            let qs = (block + 16).assumingMemoryBound(to: UInt8.self)
            var sumMins: Int32 = 0
            var sumi: Int32 = 0
            for chunk in 0..<4 {
                let (sc1, m1) = Dequantize.q4KScaleMin(2 * chunk, scaleBytes)
                let (sc2, m2) = Dequantize.q4KScaleMin(2 * chunk + 1, scaleBytes)
                let g = groupSums + 16 * b + 4 * chunk
                sumMins &+= Int32(m1) &* (g[0] &+ g[1]) &+ Int32(m2) &* (g[2] &+ g[3])
                var s1: Int32 = 0, s2: Int32 = 0
                let wq = qs + 32 * chunk
                let yc = y + 64 * chunk
                for l in 0..<32 {
                    s1 &+= Int32(wq[l] & 0xF) &* Int32(yc[l])
                    s2 &+= Int32(wq[l] >> 4) &* Int32(yc[l + 32])
                }
                sumi &+= s1 &* Int32(sc1) &+ s2 &* Int32(sc2)
            }
            sum += d[b] * half(block, 0) * Float(sumi) - d[b] * half(block, 2) * Float(sumMins)
        }
        return sum
    }

    /// Q6_K row · Q8_K activations.
    @inline(__always)
    static func q6K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var sum: Float = 0
        for b in 0..<blocks {
            let block = w + 210 * b
            let y = q + 256 * b
            var sumi: Int32 = 0
            for h in 0..<2 {
                let ql = (block + 64 * h).assumingMemoryBound(to: UInt8.self)
                let qh = (block + 128 + 32 * h).assumingMemoryBound(to: UInt8.self)
                let sc = (block + 192 + 8 * h).assumingMemoryBound(to: Int8.self)
                let yh = y + 128 * h
                var s = SIMD8<Int32>()
                for g in 0..<2 {
                    var s0: Int32 = 0, s1: Int32 = 0, s2: Int32 = 0, s3: Int32 = 0
                    for l in (16 * g)..<(16 * g + 16) {
                        let high = Int32(qh[l])
                        let q1 = (Int32(ql[l] & 0xF) | (high & 3) << 4) &- 32
                        let q2 = (Int32(ql[l + 32] & 0xF) | ((high >> 2) & 3) << 4) &- 32
                        let q3 = (Int32(ql[l] >> 4) | ((high >> 4) & 3) << 4) &- 32
                        let q4 = (Int32(ql[l + 32] >> 4) | ((high >> 6) & 3) << 4) &- 32
                        s0 &+= q1 &* Int32(yh[l]); s1 &+= q2 &* Int32(yh[l + 32])
                        s2 &+= q3 &* Int32(yh[l + 64]); s3 &+= q4 &* Int32(yh[l + 96])
                    }
                    s[g] = s0; s[2 + g] = s1; s[4 + g] = s2; s[6 + g] = s3
                }
                for k in 0..<8 { sumi &+= s[k] &* Int32(sc[k]) }
            }
            sum += half(block, 208) * d[b] * Float(sumi)
        }
        return sum
    }
}

/// Dot products of one stored weight row with one converted activation row, one function per
/// weight format. Integer formats multiply 8-bit quants exactly in 32-bit integer lanes per block
/// (`ByteDot`: x86's byte multiply-add instructions) and scale each block's integer sums in
/// float, exactly as ggml's `vec_dot_*` functions do.
enum DotProduct {
    @inline(__always)
    static func half(_ pointer: UnsafeRawPointer, _ offset: Int) -> Float {
        Float(pointer.loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    /// The 32 nibbles of a Q4 block as bytes in value order (low nibbles are values 0-15, high
    /// ones 16-31), ggml's `bytes_from_nibbles_32`.
    @inline(__always)
    static func nibbles(_ packed: SIMD16<UInt8>) -> SIMD32<UInt8> {
        SIMD32<UInt8>(lowHalf: packed & 0x0F, highHalf: packed &>> 4)
    }

    /// Eight lanes of sums of four products (see `ByteDot`) as floats.
    @inline(__always)
    static func laneSums(_ x: SIMD32<UInt8>, _ y: UnsafeRawPointer) -> SIMD8<Float> {
        ByteDot.float(ByteDot.lanes(unsigned: x, signed: y.loadUnaligned(as: SIMD32<Int8>.self)))
    }

    /// ggml's `hsum_float_8`: (l0+l4 + l2+l6) + (l1+l5 + l3+l7).
    @inline(__always)
    static func sum8(_ v: SIMD8<Float>) -> Float {
        let quarter = v.lowHalf + v.highHalf
        let pair = quarter.lowHalf + quarter.highHalf
        return pair[0] + pair[1]
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

    /// Q8_0 row · Q8_0 activations (`q`: their quants), rounded as llama.cpp's AVX2 kernel:
    /// eight lanes fused with d·d8 per block, then `hsum_float_8`.
    @inline(__always)
    static func q8_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 34 * b
            let lanes = ByteDot.lanes(signed: block.loadUnaligned(fromByteOffset: 2, as: SIMD32<Int8>.self),
                                      signed: y.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self))
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), ByteDot.float(lanes))
        }
        return sum8(acc)
    }

    /// Q4_0 row · Q8_0 activations (quants are nibble − 8), rounded as llama.cpp's AVX2 kernel.
    @inline(__always)
    static func q4_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 18 * b
            let x = unsafeBitCast(nibbles(block.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)) &- 8, to: SIMD32<Int8>.self)
            let lanes = ByteDot.lanes(signed: x, signed: y.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self))
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), ByteDot.float(lanes))
        }
        return sum8(acc)
    }

    /// Q4_1 row · Q8_1 activations (`q`: their quants), d·d8·Σq·q8 + m·s8 per block.
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
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 20 * b
            let x = nibbles(block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self))
            summs = summs.addingProduct(half(block, 2), s8[b])
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), laneSums(x, y + 32 * b))
        }
        return sum8(acc) + summs
    }

    /// `q4_1` for four activation rows at once (`stride` values apart), so each weight block is
    /// unpacked once per four tokens in prompt processing. Same rounding per row.
    @inline(__always)
    static func q4_1x4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>,
                       stride: Int, blocks: Int) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var m = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        let bs = stride / 32
        for b in 0..<blocks {
            let block = w + 20 * b
            let x = nibbles(block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self))
            let dx = half(block, 0), mx = half(block, 2)
            m = m.addingProduct(SIMD4<Float>(repeating: mx), SIMD4<Float>(s8[b], s8[b + bs], s8[b + 2 * bs], s8[b + 3 * bs]))
            @inline(__always) func lane(_ t: Int) -> SIMD8<Float> { laneSums(x, y + t * stride + 32 * b) }
            a0.addProduct(SIMD8<Float>(repeating: dx * d[b]), lane(0))
            a1.addProduct(SIMD8<Float>(repeating: dx * d[b + bs]), lane(1))
            a2.addProduct(SIMD8<Float>(repeating: dx * d[b + 2 * bs]), lane(2))
            a3.addProduct(SIMD8<Float>(repeating: dx * d[b + 3 * bs]), lane(3))
        }
        return SIMD4<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3)) + m
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

    /// Q4_K row · Q8_K activations (`blocks` super-blocks of 256), rounded as llama.cpp's AVX2
    /// `ggml_vec_dot_q4_K_q8_K`: eight integer lanes (lane m sums quants 4m..<4m+4 of each 32,
    /// times their scale, through `vpmaddubsw` + `vpmaddwd` by the scale) fused into float lanes
    /// with d, four lanes of mins (Σ min · group sums of the activations) fused with −dmin.
    @inline(__always)
    static func q4K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var accMins = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 144 * b
            let yb = y + 256 * b
            let g = groupSums + 16 * b
            let (scales, mins) = q4KScalesMins(block)
            var lanes = SIMD8<Int32>()
            var minSums = SIMD4<Int32>()
            for chunk in 0..<4 {
                let packed = block.loadUnaligned(fromByteOffset: 16 + 32 * chunk, as: SIMD8<UInt32>.self)
                let low = ByteDot.lanes(unsigned: bytes(packed & 0x0F0F_0F0F), signed: yb.loadUnaligned(fromByteOffset: 64 * chunk, as: SIMD32<Int8>.self),
                                        scales: SIMD16(repeating: byte(scales, 2 * chunk)))
                let high = ByteDot.lanes(unsigned: bytes((packed &>> 4) & 0x0F0F_0F0F), signed: yb.loadUnaligned(fromByteOffset: 64 * chunk + 32, as: SIMD32<Int8>.self),
                                         scales: SIMD16(repeating: byte(scales, 2 * chunk + 1)))
                lanes &+= low &+ high
                minSums[chunk] = Int32(byte(mins, 2 * chunk)) &* (g[4 * chunk] &+ g[4 * chunk + 1])
                    &+ Int32(byte(mins, 2 * chunk + 1)) &* (g[4 * chunk + 2] &+ g[4 * chunk + 3])
            }
            let scale = d[b] * half(block, 0)
            let minScale = -d[b] * half(block, 2)
            accMins.addProduct(SIMD4<Float>(repeating: minScale), SIMD4<Float>(minSums))
            acc.addProduct(SIMD8<Float>(repeating: scale), ByteDot.float(lanes))
        }
        let minPair = accMins.lowHalf + accMins.highHalf
        return sum8(acc) + (minPair[0] + minPair[1])
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

    /// Q6_K row · Q8_K activations (`groupSums`: Σ of each 16 activation quants): one integer
    /// Σ scale·(q − 32)·q8 per super-block, then sum += d·d8·Σ in that order. The integer is
    /// computed as Σ scale·q·q8 (unsigned q in 0...63, `vpmaddubsw` + `vpmaddwd` by the per-16
    /// scales, as llama.cpp's AVX2 kernel) minus 32·Σ scale·groupSum: the same number.
    @inline(__always)
    static func q6K(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ groupSums: UnsafePointer<Int32>, blocks: Int) -> Float {
        var sum: Float = 0
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 210 * b
            let yb = y + 256 * b
            let sc = (block + 192).assumingMemoryBound(to: Int8.self)
            let g = groupSums + 16 * b
            var lanes = SIMD8<Int32>()
            for h in 0..<2 {
                let (q1, q2, q3, q4) = q6KQuants(block + 64 * h, block + 128 + 32 * h)
                let yh = yb + 128 * h, s = sc + 8 * h
                @inline(__always) func part(_ x: SIMD32<UInt8>, _ k: Int) -> SIMD8<Int32> {
                    ByteDot.lanes(unsigned: x, signed: yh.loadUnaligned(fromByteOffset: 32 * k, as: SIMD32<Int8>.self),
                                  scales: ByteDot.scales(Int16(s[2 * k]), Int16(s[2 * k + 1])))
                }
                lanes &+= part(q1, 0) &+ part(q2, 1) &+ part(q3, 2) &+ part(q4, 3)
            }
            var offset: Int32 = 0
            for k in 0..<16 { offset &+= Int32(sc[k]) &* g[k] }
            let sumi = lanes.wrappedSum() &- 32 &* offset
            sum += half(block, 208) * d[b] * Float(sumi)
        }
        return sum
    }
}

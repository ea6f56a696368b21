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

    /// Bit j of a Q5 block's `qh` word as byte j: 0xFF where set, 0 where clear (llama.cpp's
    /// `bytes_from_bits_32`: byte j takes byte j/8 of the word by `vpshufb`, every bit but
    /// j % 8 is set by an or, and the bytes that became 0xFF had bit j). Four instructions,
    /// where the multiply-and-mask spreading used before took a variable shift, two blends and
    /// a `vpmulld` per block (Gemma 3's 1024 × 640 Q5_0 decode product: 0.066 → 0.042-0.054 ms).
    @inline(__always)
    static func q5HighFlags(_ qh: UInt32) -> SIMD32<UInt8> {
        // Or-ed as 32-bit words: a byte-lane `|` on `SIMD32<UInt8>` compiles to a loop over bytes.
        let spread = unsafeBitCast(ByteDot.shuffle(bytes(SIMD8<UInt32>(repeating: qh)), q5Spread), to: SIMD8<UInt32>.self)
        return ByteDot.allOnes(bytes(spread | q5OtherBits))
    }

    /// Byte j: j / 8 (which byte of `qh` holds bit j).
    @inline(__always)
    static var q5Spread: SIMD32<UInt8> {
        unsafeBitCast(SIMD4<UInt64>(0, 0x0101_0101_0101_0101, 0x0202_0202_0202_0202, 0x0303_0303_0303_0303), to: SIMD32<UInt8>.self)
    }
    /// Byte j: every bit but j % 8.
    @inline(__always)
    static var q5OtherBits: SIMD8<UInt32> { unsafeBitCast(SIMD4<UInt64>(repeating: 0x7FBF_DFEF_F7FB_FDFE), to: SIMD8<UInt32>.self) }

    /// The 32 nibbles of 16 packed bytes in value order (low nibbles are values 0-15, high ones
    /// 16-31), in 32-bit words.
    @inline(__always)
    static func nibbleWords(_ packed: UnsafeRawPointer) -> SIMD8<UInt32> {
        let words = packed.loadUnaligned(as: SIMD4<UInt32>.self)
        return SIMD8<UInt32>(lowHalf: words & 0x0F0F_0F0F, highHalf: (words &>> 4) & 0x0F0F_0F0F)
    }

    /// The 32 five-bit quants (0...31) of a Q5_1 block from its `qh` word and nibbles
    /// (`fields`: the 4 bytes of qh, then the 16 bytes of nibbles): value j is nibble j with bit
    /// j of qh as its fifth bit, ggml's `bytes_from_nibbles_32 | bytes_from_bits_32(qh)`. Every
    /// step works on 32-bit words: the standard library's byte-lane `|` and `&-` on
    /// `SIMD32<UInt8>` compiled to a loop over the 32 bytes, which was 80% of Gemma 3's
    /// generation time.
    @inline(__always)
    static func q5Quants(_ fields: UnsafeRawPointer) -> SIMD32<UInt8> {
        let high = unsafeBitCast(q5HighFlags(fields.loadUnaligned(as: UInt32.self)), to: SIMD8<UInt32>.self) & 0x1010_1010
        return bytes(nibbleWords(fields + 4) | high)
    }

    /// The 32 signed quants (value − 16) of a Q5_0 block, as llama.cpp forms them: the nibble,
    /// with 0xF0 or-ed in where the fifth bit is clear (nibble − 16 in two's complement).
    @inline(__always)
    static func q5SignedQuants(_ fields: UnsafeRawPointer) -> SIMD32<Int8> {
        let set = unsafeBitCast(q5HighFlags(fields.loadUnaligned(as: UInt32.self)), to: SIMD8<UInt32>.self)
        return unsafeBitCast(nibbleWords(fields + 4) | (~set & 0xF0F0_F0F0), to: SIMD32<Int8>.self)
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

    // The blocks of 32: signed quants (Q8_0, Q4_0, Q5_0) against Q8_0 activations, unsigned
    // quants with a minimum (Q4_1, Q5_1) against Q8_1 activations. One loop per family; each
    // format only says where its block's fields are and how its 32 quants unpack.

    /// Q8_0 row · Q8_0 activations (`q`: their quants).
    @inline(__always)
    static func q8_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        signed(w, q, d, blocks: blocks, blockBytes: 34, quants: q8_0Quants)
    }

    /// Q4_0 row · Q8_0 activations (quants are nibble − 8).
    @inline(__always)
    static func q4_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        signed(w, q, d, blocks: blocks, blockBytes: 18, quants: q4_0Quants)
    }

    /// Q5_0 row · Q8_0 activations (quants are the 5-bit value − 16).
    @inline(__always)
    static func q5_0(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int) -> Float {
        signed(w, q, d, blocks: blocks, blockBytes: 22, quants: q5_0Quants)
    }

    /// Q4_1 row · Q8_1 activations.
    @inline(__always)
    static func q4_1(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>, blocks: Int) -> Float {
        unsigned(w, q, d, s8, blocks: blocks, blockBytes: 20, quants: q4_1Quants)
    }

    /// Q5_1 row · Q8_1 activations.
    @inline(__always)
    static func q5_1(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>, blocks: Int) -> Float {
        unsigned(w, q, d, s8, blocks: blocks, blockBytes: 24, quants: q5_1Quants)
    }

    // Each format's 32 quants from its block.
    @inline(__always)
    static func q8_0Quants(_ block: UnsafeRawPointer) -> SIMD32<Int8> {
        block.loadUnaligned(fromByteOffset: 2, as: SIMD32<Int8>.self)
    }

    /// Nibble − 8 as a signed byte, in 32-bit words (a byte-lane `&- 8` on `SIMD32<UInt8>`
    /// compiled to a loop over the bytes): the low 3 bits, with 0xF8 or-ed in where bit 3 is
    /// clear (n − 8 < 0).
    @inline(__always)
    static func q4_0Quants(_ block: UnsafeRawPointer) -> SIMD32<Int8> {
        let n = nibbleWords(block + 2)
        let negative = ((n &>> 3) & 0x0101_0101) ^ 0x0101_0101
        return unsafeBitCast((n & 0x0707_0707) | ((negative &<< 8) &- negative) & 0xF8F8_F8F8, to: SIMD32<Int8>.self)
    }

    @inline(__always)
    static func q5_0Quants(_ block: UnsafeRawPointer) -> SIMD32<Int8> {
        q5SignedQuants(block + 2)
    }

    @inline(__always)
    static func q4_1Quants(_ block: UnsafeRawPointer) -> SIMD32<UInt8> {
        nibbles(block.loadUnaligned(fromByteOffset: 4, as: SIMD16<UInt8>.self))
    }

    @inline(__always)
    static func q5_1Quants(_ block: UnsafeRawPointer) -> SIMD32<UInt8> {
        q5Quants(block + 4)
    }

    /// Signed quants (f16 d first in the block) · Q8_0 activations, rounded as llama.cpp's AVX2
    /// kernels: |x| times y·sign(x) in eight lanes, fused with d·d8 per block, then
    /// `hsum_float_8`.
    @inline(__always)
    static func signed(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int, blockBytes: Int,
                       quants: (UnsafeRawPointer) -> SIMD32<Int8>) -> Float {
        var acc = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + blockBytes * b
            let lanes = ByteDot.lanes(signed: quants(block), signed: y.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self))
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), ByteDot.float(lanes))
        }
        return sum8(acc)
    }

    /// Unsigned quants (f16 d, f16 m first in the block) · Q8_1 activations, d·d8·Σq·q8 + m·s8
    /// per block.
    ///
    /// Rounds exactly as llama.cpp's AVX2 `ggml_vec_dot_q4_1_q8_1` (as built here, with FMA):
    /// eight float lanes, lane i accumulating fma(d·d8, Σ of quant products 4i..<4i+4, lane),
    /// summed as (l0+l4 + l2+l6) + (l1+l5 + l3+l7), plus the fma-accumulated m·s8 terms. SmolLM2's
    /// 30 layers re-quantize every activation to 8 bits, so a last-bit difference here can flip a
    /// quant and grow; matching the order removes that source of divergence.
    @inline(__always)
    static func unsigned(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>,
                         blocks: Int, blockBytes: Int, quants: (UnsafeRawPointer) -> SIMD32<UInt8>) -> Float {
        var acc = SIMD8<Float>()
        var summs: Float = 0
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + blockBytes * b
            summs = summs.addingProduct(half(block, 2), s8[b])
            acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * d[b]), laneSums(quants(block), y + 32 * b))
        }
        return sum8(acc) + summs
    }

    /// `signed` for four activation rows at once (`stride` values apart): each weight block is
    /// unpacked and scaled once per four tokens in prompt processing. Same rounding per row.
    @inline(__always)
    static func signed4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, stride: Int, blocks: Int,
                        blockBytes: Int, quants: (UnsafeRawPointer) -> SIMD32<Int8>) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        let bs = stride / 32
        for b in 0..<blocks {
            let block = w + blockBytes * b
            let x = quants(block)
            let dx = half(block, 0)
            @inline(__always) func lane(_ t: Int) -> SIMD8<Float> {
                ByteDot.float(ByteDot.lanes(signed: x, signed: (y + t * stride + 32 * b).loadUnaligned(as: SIMD32<Int8>.self)))
            }
            a0.addProduct(SIMD8<Float>(repeating: dx * d[b]), lane(0))
            a1.addProduct(SIMD8<Float>(repeating: dx * d[b + bs]), lane(1))
            a2.addProduct(SIMD8<Float>(repeating: dx * d[b + 2 * bs]), lane(2))
            a3.addProduct(SIMD8<Float>(repeating: dx * d[b + 3 * bs]), lane(3))
        }
        return SIMD4<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3))
    }

    /// `unsigned` for four activation rows at once. Same rounding per row.
    @inline(__always)
    static func unsigned4(_ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>,
                          stride: Int, blocks: Int, blockBytes: Int, quants: (UnsafeRawPointer) -> SIMD32<UInt8>) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var m = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        let bs = stride / 32
        for b in 0..<blocks {
            let block = w + blockBytes * b
            let x = quants(block)
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
}

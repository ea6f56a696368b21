/// Prompt-batch kernels for the formats with blocks of 32 (Q8_0, Q4_0, Q5_0 signed; Q4_1, Q5_1
/// unsigned with a minimum): one weight row against eight activation rows.
///
/// The four-token kernels (`signed4`, `unsigned4`) unpacked every weight block again for each
/// group of four tokens: a Q5_0 block's unpack costs about as many instructions as four of its
/// products, so half of a prompt's time went to unpacking the same bytes over and over. Here a
/// tile of rows is unpacked once into 8-bit quants and float scales (`unpackRows`), and each
/// unpacked row then meets the activations eight tokens at a time: per block and token only the
/// products, the scale and the fused add are left. Every (row, token) keeps its own accumulator,
/// block order and final `sum8`, so each result equals `dot` bit for bit.
extension DotProduct {
    /// The weights of `rows` rows from `first`, unpacked into `quants` (`columns` bytes a row:
    /// signed values for the signed formats, 0...31 for Q4_1/Q5_1), `scales` (d per block) and
    /// `mins` (m per block, unsigned formats).
    @inline(__always)
    static func unpackRows(_ w: WeightMatrix, first: Int, rows: Int, quants: UnsafeMutableRawPointer,
                           scales: UnsafeMutablePointer<Float>, mins: UnsafeMutablePointer<Float>) {
        let blocks = w.columns / 32, blockBytes = w.format.blockBytes
        @inline(__always) func each(_ body: (UnsafeRawPointer, Int) -> Void) {
            for r in 0..<rows {
                let row = w.row(first + r)
                for b in 0..<blocks { body(row + blockBytes * b, r * blocks + b) }
            }
        }
        switch w.format {
        case .q8_0: each { block, i in quants.storeBytes(of: q8_0Quants(block), toByteOffset: 32 * i, as: SIMD32<Int8>.self); scales[i] = half(block, 0) }
        case .q4_0: each { block, i in quants.storeBytes(of: q4_0Quants(block), toByteOffset: 32 * i, as: SIMD32<Int8>.self); scales[i] = half(block, 0) }
        case .q5_0: each { block, i in quants.storeBytes(of: q5_0Quants(block), toByteOffset: 32 * i, as: SIMD32<Int8>.self); scales[i] = half(block, 0) }
        case .q4_1:
            each { block, i in
                quants.storeBytes(of: q4_1Quants(block), toByteOffset: 32 * i, as: SIMD32<UInt8>.self)
                scales[i] = half(block, 0); mins[i] = half(block, 2)
            }
        case .q5_1:
            each { block, i in
                quants.storeBytes(of: q5_1Quants(block), toByteOffset: 32 * i, as: SIMD32<UInt8>.self)
                scales[i] = half(block, 0); mins[i] = half(block, 2)
            }
        default: preconditionFailure("unpackRows: \(w.format) has no batch kernel")
        }
    }

    /// An unpacked signed row (`x`: quants) times the eight interleaved activation rows of a
    /// group at `y` (`ActivationBuffer.batchQuants`), `scales` holding the row's block scale
    /// times each token's, eight per block (`blockScales`): `signed` for each token, bit for bit.
    @inline(__always)
    static func signed8(_ x: UnsafeRawPointer, _ scales: UnsafePointer<Float>, _ y: UnsafeRawPointer, blocks: Int) -> SIMD8<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
        for b in 0..<blocks {
            let w = x.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self)
            let magnitude = ByteDot.magnitude(w)
            let block = y + 256 * b
            @inline(__always) func add(_ t: Int, _ acc: inout SIMD8<Float>) {
                let activations = block.loadUnaligned(fromByteOffset: 32 * t, as: SIMD32<Int8>.self)
                let lanes = ByteDot.lanes(unsigned: magnitude, signed: ByteDot.sign(activations, by: w))
                acc.addProduct(SIMD8<Float>(repeating: scales[8 * b + t]), ByteDot.float(lanes))
            }
            add(0, &a0); add(1, &a1); add(2, &a2); add(3, &a3); add(4, &a4); add(5, &a5); add(6, &a6); add(7, &a7)
        }
        return SIMD8<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3), sum8(a4), sum8(a5), sum8(a6), sum8(a7))
    }

    /// `products[8·b + t] = dx[b] · d[8·b + t]` for `blocks` blocks: a weight row's block scales
    /// times a group's interleaved activation scales (`ActivationBuffer.batchScales`), the f32
    /// product llama.cpp forms per block before its fused add. Eight at a time here, in a loop of
    /// their own, so the kernels read each as a broadcast from memory.
    @inline(__always)
    static func blockScales(_ dx: UnsafePointer<Float>, _ d: UnsafePointer<Float>, blocks: Int, into products: UnsafeMutablePointer<Float>) {
        for b in 0..<blocks {
            let product = SIMD8<Float>(repeating: dx[b]) * UnsafeRawPointer(d + 8 * b).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(products + 8 * b).storeBytes(of: product, as: SIMD8<Float>.self)
        }
    }

    /// An unpacked unsigned row (`x`, `scales` as for `signed8`, `mx`: block mins) times a
    /// group's interleaved rows at `y` (Q8_1: `s8` the interleaved f16 d·Σq per block,
    /// `ActivationBuffer.batchBlockSums`): `unsigned` for each token, bit for bit.
    @inline(__always)
    static func unsigned8(_ x: UnsafeRawPointer, _ scales: UnsafePointer<Float>, _ mx: UnsafePointer<Float>, _ y: UnsafeRawPointer,
                          _ s8: UnsafePointer<Float>, blocks: Int) -> SIMD8<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var a4 = SIMD8<Float>(), a5 = SIMD8<Float>(), a6 = SIMD8<Float>(), a7 = SIMD8<Float>()
        for b in 0..<blocks {
            let w = x.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<UInt8>.self)
            let block = y + 256 * b
            @inline(__always) func add(_ t: Int, _ acc: inout SIMD8<Float>) {
                acc.addProduct(SIMD8<Float>(repeating: scales[8 * b + t]), laneSums(w, block + 32 * t))
            }
            add(0, &a0); add(1, &a1); add(2, &a2); add(3, &a3); add(4, &a4); add(5, &a5); add(6, &a6); add(7, &a7)
        }
        // The min terms: each token's own chain of fused adds in block order, as `unsigned`
        // (one lane per token).
        var summs = SIMD8<Float>()
        for b in 0..<blocks { summs.addProduct(SIMD8<Float>(repeating: mx[b]), UnsafeRawPointer(s8 + 8 * b).loadUnaligned(as: SIMD8<Float>.self)) }
        return SIMD8<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3), sum8(a4), sum8(a5), sum8(a6), sum8(a7)) + summs
    }
}

/// The same for Q4_K and Q6_K (super-blocks of 256): a row's quants are unpacked once into
/// eight 32-value groups of unsigned bytes, each followed by its `vpmaddwd` scales (the 16-bit
/// pairs `ByteDot.lanes(unsigned:signed:scales:)` takes), 512 bytes a super-block; the block's
/// d, dmin, mins and Q6_K's scale bytes are still read from the row itself when a super-block's
/// integer lanes are fused into each token's floats, exactly as `q4K`/`q6K` fuse them.
extension DotProduct {
    /// Bytes of one unpacked super-block.
    static let unpackedSuperBlockBytes = 512

    /// Unpacks `rows` Q4_K or Q6_K rows from `first` into `unpacked` (`columns / 256 × 512`
    /// bytes a row).
    @inline(__always)
    static func unpackKRows(_ w: WeightMatrix, first: Int, rows: Int, into unpacked: UnsafeMutableRawPointer) {
        let blocks = w.columns / 256, blockBytes = w.format.blockBytes
        for r in 0..<rows {
            let row = w.row(first + r)
            for b in 0..<blocks {
                let block = row + blockBytes * b
                let out = unpacked + (r * blocks + b) * unpackedSuperBlockBytes
                @inline(__always) func group(_ g: Int, _ quants: SIMD32<UInt8>, _ scales: SIMD16<Int16>) {
                    out.storeBytes(of: quants, toByteOffset: 32 * g, as: SIMD32<UInt8>.self)
                    out.storeBytes(of: scales, toByteOffset: 256 + 32 * g, as: SIMD16<Int16>.self)
                }
                if w.format == .q4_K {
                    let (scales, _) = q4KScalesMins(block)
                    for chunk in 0..<4 {
                        let packed = block.loadUnaligned(fromByteOffset: 16 + 32 * chunk, as: SIMD8<UInt32>.self)
                        group(2 * chunk, bytes(packed & 0x0F0F_0F0F), SIMD16(repeating: byte(scales, 2 * chunk)))
                        group(2 * chunk + 1, bytes((packed &>> 4) & 0x0F0F_0F0F), SIMD16(repeating: byte(scales, 2 * chunk + 1)))
                    }
                } else {
                    let sc = (block + 192).assumingMemoryBound(to: Int8.self)
                    for h in 0..<2 {
                        let (q1, q2, q3, q4) = q6KQuants(block + 64 * h, block + 128 + 32 * h)
                        let s = sc + 8 * h
                        group(4 * h, q1, q6KScales(s, 0)); group(4 * h + 1, q2, q6KScales(s, 1))
                        group(4 * h + 2, q3, q6KScales(s, 2)); group(4 * h + 3, q4, q6KScales(s, 3))
                    }
                }
            }
        }
    }

    /// The integer lanes of unpacked super-block `x` with the same 256 activations of a group's
    /// eight tokens (`y`: the super-block's eight interleaved chunks, 2048 bytes):
    /// Σ over groups of scale · quant · activation.
    @inline(__always)
    static func kLanes8(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer)
        -> (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>) {
        var l = (SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>(), SIMD8<Int32>())
        for g in 0..<8 {
            let quants = x.loadUnaligned(fromByteOffset: 32 * g, as: SIMD32<UInt8>.self)
            let scales = x.loadUnaligned(fromByteOffset: 256 + 32 * g, as: SIMD16<Int16>.self)
            @inline(__always) func part(_ t: Int) -> SIMD8<Int32> {
                ByteDot.lanes(unsigned: quants, signed: y.loadUnaligned(fromByteOffset: 256 * g + 32 * t, as: SIMD32<Int8>.self), scales: scales)
            }
            l.0 &+= part(0); l.1 &+= part(1); l.2 &+= part(2); l.3 &+= part(3)
            l.4 &+= part(4); l.5 &+= part(5); l.6 &+= part(6); l.7 &+= part(7)
        }
        return l
    }

    /// Q4_K: unpacked row `x` (original row `w`) times a group's eight interleaved Q8_K rows
    /// (`q`, `d`, `groupSums`: `ActivationBuffer.batchQuants`, `batchScales`, `batchGroupSums`
    /// at the group): `q4K` for each token, bit for bit.
    @inline(__always)
    static func q4K8(_ x: UnsafeRawPointer, _ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>,
                     _ groupSums: UnsafePointer<Int16>, blocks: Int) -> SIMD8<Float> {
        var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var accMins = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 144 * b
            let l = kLanes8(x + unpackedSuperBlockBytes * b, y + 2048 * b)
            let (_, mins) = q4KScalesMins(block)
            // Each min twice: pair sums give min[j]·(g[2j] + g[2j+1]), and lanes 2c + 2c+1 are
            // `q4KMinSum(mins, g, c)`.
            let minBytes = SIMD8<Int16>(truncatingIfNeeded: unsafeBitCast(mins, to: SIMD8<UInt8>.self))
            let minPairs = SIMD16<Int16>(lowHalf: SIMD8(minBytes[0], minBytes[0], minBytes[1], minBytes[1], minBytes[2], minBytes[2], minBytes[3], minBytes[3]),
                                         highHalf: SIMD8(minBytes[4], minBytes[4], minBytes[5], minBytes[5], minBytes[6], minBytes[6], minBytes[7], minBytes[7]))
            let dx = half(block, 0), mx = half(block, 2)
            @inline(__always) func fuse(_ t: Int, _ lanes: SIMD8<Int32>, _ acc: inout SIMD8<Float>, _ accMins: inout SIMD4<Float>) {
                let d8 = d[8 * b + t]
                let perMin = ByteDot.pairSums(minPairs, UnsafeRawPointer(groupSums + 16 * (8 * b + t)).loadUnaligned(as: SIMD16<Int16>.self))
                let minSums = perMin.evenHalf &+ perMin.oddHalf
                accMins.addProduct(SIMD4<Float>(repeating: -d8 * mx), SIMD4<Float>(minSums))
                acc.addProduct(SIMD8<Float>(repeating: d8 * dx), ByteDot.float(lanes))
            }
            fuse(0, l.0, &acc.0, &accMins.0); fuse(1, l.1, &acc.1, &accMins.1); fuse(2, l.2, &acc.2, &accMins.2); fuse(3, l.3, &acc.3, &accMins.3)
            fuse(4, l.4, &acc.4, &accMins.4); fuse(5, l.5, &acc.5, &accMins.5); fuse(6, l.6, &acc.6, &accMins.6); fuse(7, l.7, &acc.7, &accMins.7)
        }
        @inline(__always) func total(_ acc: SIMD8<Float>, _ accMins: SIMD4<Float>) -> Float {
            let minPair = accMins.lowHalf + accMins.highHalf
            return sum8(acc) + (minPair[0] + minPair[1])
        }
        return SIMD8(total(acc.0, accMins.0), total(acc.1, accMins.1), total(acc.2, accMins.2), total(acc.3, accMins.3),
                     total(acc.4, accMins.4), total(acc.5, accMins.5), total(acc.6, accMins.6), total(acc.7, accMins.7))
    }

    /// Q6_K: as `q4K8`, `q6K` for each token bit for bit (`tiled`: llama.cpp's tiled rounding,
    /// which it uses for eight or more tokens).
    @inline(__always)
    static func q6K8(_ x: UnsafeRawPointer, _ w: UnsafeRawPointer, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>,
                     _ groupSums: UnsafePointer<Int16>, blocks: Int, tiled: Bool) -> SIMD8<Float> {
        var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        var tiledSums = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        for b in 0..<blocks {
            let block = w + 210 * b
            let sc = (block + 192).assumingMemoryBound(to: Int8.self)
            let l = kLanes8(x + unpackedSuperBlockBytes * b, y + 2048 * b)
            let dx = half(block, 208)
            // `q6KOffsets` by pair sums: its 16 scales against each token's 16 group sums.
            let scales = SIMD16<Int16>(truncatingIfNeeded: UnsafeRawPointer(sc).loadUnaligned(as: SIMD16<Int8>.self))
            @inline(__always) func fuse(_ t: Int, _ lanes: SIMD8<Int32>, _ acc: inout SIMD8<Float>) {
                let offsets = ByteDot.pairSums(scales, UnsafeRawPointer(groupSums + 16 * (8 * b + t)).loadUnaligned(as: SIMD16<Int16>.self)) &<< 5
                let signed = lanes &- offsets
                if tiled {
                    tiledSums[t] += tiledTerm(signed.wrappedSum(), d: dx, d8: d[8 * b + t])
                } else {
                    acc.addProduct(SIMD8<Float>(repeating: d[8 * b + t] * dx), ByteDot.float(signed))
                }
            }
            fuse(0, l.0, &acc.0); fuse(1, l.1, &acc.1); fuse(2, l.2, &acc.2); fuse(3, l.3, &acc.3)
            fuse(4, l.4, &acc.4); fuse(5, l.5, &acc.5); fuse(6, l.6, &acc.6); fuse(7, l.7, &acc.7)
        }
        return tiled ? tiledSums : SIMD8(sum8(acc.0), sum8(acc.1), sum8(acc.2), sum8(acc.3), sum8(acc.4), sum8(acc.5), sum8(acc.6), sum8(acc.7))
    }
}

/// Causal multi-head attention with grouped-query heads over an f32 KV cache, rounding as
/// llama.cpp's non-flash attention does (see `GGMLRounding`).
///
/// Cache layout per layer: `keys[slot][kvHeads · headSize]`, the same for `values`, position p
/// in slot p mod `slots` (a ring for sliding-window layers, `slots` = context otherwise). Query
/// head `h` reads KV head `h / (heads / kvHeads)`. Token `t` of a batch at absolute position
/// `start + t` attends to positions `0...start + t`, or with a `window` to the last `window` of
/// them (llama.cpp masks the rest with −∞; they add exact zeros there and are skipped here,
/// each kept position staying in the lane of its absolute position, as in llama.cpp's cache
/// while it has not wrapped).
///
/// llama.cpp computes softmax(K·q · scale)·V as two matrix products: scores by `ggml_vec_dot_f32`,
/// the weighted sum of V rows by tinyBLAS (16 lanes, position p in lane p mod 16) when the batch
/// has two or more tokens and by `ggml_vec_dot_f32` (64 lanes) for a single token. Both are
/// reproduced here; the extra, masked positions llama.cpp pads with add exact zeros.
enum Attention {
    /// Scratch floats per worker (or per head, in a decode step): scores for every cached
    /// position plus 64 lane accumulators.
    static func scratchPerWorker(context: Int, headSize: Int) -> Int { context + 16 + 64 * headSize }

    /// Scratch floats `run` needs: per head for a decode step; for a batch, a slice per piece
    /// (at most two per thread) holding a KV head's group of query heads (at most `heads`).
    static func scratchCount(context: Int, heads: Int, headSize: Int, threads: Int) -> Int {
        max(max(threads, heads) * scratchPerWorker(context: context, headSize: headSize),
            2 * threads * heads * scratchPerWorker(context: context, headSize: headSize))
    }

    /// `output[t][h·headSize ..< (h+1)·headSize] = softmax(q·Kᵀ · scale) · V` for every token and
    /// head. `queries` is `tokens × heads·headSize`; `scratch` holds
    /// `scratchCount(context:heads:headSize:threads:)` floats.
    static func run(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                    output: UnsafeMutablePointer<Float>, tokens: Int, start: Int, heads: Int, kvHeads: Int,
                    headSize: Int, context: Int, scratch: UnsafeMutablePointer<Float>, threads: Int,
                    window: Int? = nil, slots: Int? = nil, scale: Float? = nil) {
        let slots = slots ?? context
        // The spinning worker pool starts a job in about a microsecond, so even a decode step over
        // a short context (9 heads × 16 positions × 64 values) is worth splitting.
        let workers = (start + tokens) * tokens * heads * headSize < 8192 ? 1 : threads
        if tokens == 1 {
            decode(query: queries, keys: keys, values: values, output: output, position: start, heads: heads, kvHeads: kvHeads,
                   headSize: headSize, context: context, scratch: scratch, threads: workers, window: window, slots: slots, scale: scale)
        } else {
            perHead(queries: queries, keys: keys, values: values, output: output, tokens: tokens, start: start, heads: heads,
                    kvHeads: kvHeads, headSize: headSize, context: context, scratch: scratch, threads: workers,
                    window: window, slots: slots, scale: scale)
        }
    }

    /// The first position a token at `position` attends to.
    @inline(__always)
    static func lowest(_ position: Int, window: Int?) -> Int { window.map { max(0, position - $0 + 1) } ?? 0 }

    /// The cache row of `position` in a cache of `slots` rows.
    @inline(__always)
    static func slot(_ position: Int, _ slots: Int) -> Int { position < slots ? position : position % slots }

    /// Sets `scores[lo & ~15 ..< lo]` to −∞, so that a softmax from the 16-aligned start sums
    /// in the same chunks of 16 as llama.cpp's over the whole masked row; returns that start.
    @inline(__always)
    static func maskBelow(_ lo: Int, _ scores: UnsafeMutablePointer<Float>) -> Int {
        let aligned = lo & ~15
        for p in aligned..<lo { scores[p] = -.infinity }
        return aligned
    }

    /// The batch path: one (token, KV head) item at a time, items split across workers. The
    /// query heads that share a KV head (Gemma 3's four, SmolLM2's three) are computed together,
    /// so each K and V row is read once for all of them: with a prompt's cache larger than L2,
    /// reading it again per query head made attention a sixth of the prompt's time. Every
    /// (token, head) still gets the same operations in the same order as alone. Also the
    /// reference the decode path is tested against.
    static func perHead(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                        output: UnsafeMutablePointer<Float>, tokens: Int, start: Int, heads: Int, kvHeads: Int,
                        headSize: Int, context: Int, scratch: UnsafeMutablePointer<Float>, threads: Int,
                        window: Int? = nil, slots: Int? = nil, scale: Float? = nil) {
        let box = SendableBox((queries, keys, values, output, scratch))
        let group = heads / kvHeads
        let scale = scale ?? 1 / Float(headSize).squareRoot()
        let slots = slots ?? context
        let kvWidth = kvHeads * headSize
        let qWidth = heads * headSize
        let items = tokens * kvHeads
        let perHead = scratchPerWorker(context: context, headSize: headSize)
        let lanes = tokens >= 2 ? 16 : 64
        // Two pieces per thread (`scratchCount` holds that many groups), claimed by whichever
        // thread is free, and the tokens taken from both ends in turn (0, n−1, 1, n−2, …): a
        // causal token's work grows with its position, and plain halves gave one thread three
        // times the other's share.
        Parallel.workers(items, threads: threads, pieces: 2 * threads) { piece, range in
            let (q, k, v, out, scratchBase) = box.value
            let slice = scratchBase + piece * group * perHead
            @inline(__always) func scores(_ g: Int) -> UnsafeMutablePointer<Float> { slice + g * perHead }
            @inline(__always) func accumulators(_ g: Int) -> UnsafeMutablePointer<Float> { slice + g * perHead + context + 16 }
            for item in range {
                let order = item / kvHeads, kvHead = item % kvHeads
                let t = order & 1 == 0 ? order / 2 : tokens - 1 - order / 2
                let first = kvHead * group
                let length = start + t + 1
                let lo = lowest(start + t, window: window)
                let query = q + t * qWidth + first * headSize
                switch headSize {
                case 128, 256:
                    // (64-wide heads keep the dot per position: with one multiply-add per chunk,
                    // storing and combining the chunks cost more than the loads it saves.)
                    groupScores(headSize / 64, query, k + kvHead * headSize, kvWidth: kvWidth, group: group, lo: lo, length: length, slots: slots,
                                scale: scale, scores: scores(0), partials: accumulators(0), headStride: perHead)
                default:
                    for p in lo..<length {
                        let key = k + slot(p, slots) * kvWidth + kvHead * headSize
                        for g in 0..<group { scores(g)[p] = GGMLRounding.dot(key, query + g * headSize, count: headSize) * scale }
                    }
                }
                for g in 0..<group {
                    let aligned = maskBelow(lo, scores(g))
                    softmax(scores(g) + aligned, count: length - aligned)
                }
                for lane in 0..<lanes {
                    let firstP = firstInLane(lane, from: lo, lanes: lanes)
                    var g = 0
                    while g + 4 <= group {
                        accumulateLane4(scores(g), weightStride: perHead, v + kvHead * headSize, stride: kvWidth, first: firstP, count: length,
                                        step: lanes, headSize: headSize, slots: slots, into: accumulators(g) + lane * headSize, outputStride: perHead)
                        g += 4
                    }
                    while g < group {
                        accumulateLane(scores(g), v + kvHead * headSize, stride: kvWidth, first: firstP, count: length, step: lanes,
                                       headSize: headSize, slots: slots, into: accumulators(g) + lane * headSize)
                        g += 1
                    }
                }
                for g in 0..<group {
                    combine(accumulators(g), lanes: lanes, headSize: headSize, output: out + t * qWidth + (first + g) * headSize)
                }
            }
        }
    }

    /// Positions whose keys `groupScores` keeps in L1 while it passes over them sixteen times.
    static let scoreBlock = 16

    /// `scores[g · headStride + p] = GGMLRounding.dot(key p, query head g) · scale` for positions
    /// `lo..<length` and the `group` query heads at `query` (`64 · m` values each, m = 2 or 4)
    /// that share the keys at `keys` (row p at `slot(p) · kvWidth`), bit for bit.
    ///
    /// `GGMLRounding.dot` runs each 8-value column chunk c of its 64 lanes as its own chain of m
    /// fused adds (values 64i + 8c for i = 0..<m), then combines the eight chunks. Here a chunk's
    /// m query vectors for two heads stay in registers while a block of positions passes, so each
    /// key vector is loaded once for both heads (the dot per position and head loaded every key
    /// and query vector once per head: two loads per multiply-add, the loads were the limit); the
    /// chunk results go to `partials + g · headStride` (`scoreBlock · 64` floats) and are combined in
    /// `GGMLRounding.dot`'s order.
    @inline(__always)
    static func groupScores(_ m: Int, _ query: UnsafePointer<Float>, _ keys: UnsafePointer<Float>, kvWidth: Int, group: Int, lo: Int, length: Int,
                            slots: Int, scale: Float, scores: UnsafeMutablePointer<Float>, partials: UnsafeMutablePointer<Float>, headStride: Int) {
        typealias V = SIMD8<Float>
        let headSize = 64 * m
        var p0 = lo
        while p0 < length {
            let p1 = min(p0 + scoreBlock, length)
            var g = 0
            while g < group {
                let second = g + 1 < group
                let outA = partials + g * headStride, outB = second ? outA + headStride : outA
                for c in 0..<8 {
                    // One pass with m a constant (the switch below), so nothing in the loop tests it.
                    @inline(__always) func pass(_ m: Int) {
                        @inline(__always) func q(_ h: Int, _ i: Int) -> V {
                            i < m ? UnsafeRawPointer(query + (g + h) * headSize + 64 * i + 8 * c).loadUnaligned(as: V.self) : V()
                        }
                        let a0 = q(0, 0), a1 = q(0, 1), a2 = q(0, 2), a3 = q(0, 3)
                        let b0 = second ? q(1, 0) : V(), b1 = second ? q(1, 1) : V(), b2 = second ? q(1, 2) : V(), b3 = second ? q(1, 3) : V()
                        for p in p0..<p1 {
                            let key = UnsafeRawPointer(keys + slot(p, slots) * kvWidth + 8 * c)
                            let k0 = key.loadUnaligned(as: V.self)
                            let k1 = m > 1 ? key.loadUnaligned(fromByteOffset: 256, as: V.self) : V()
                            let k2 = m > 2 ? key.loadUnaligned(fromByteOffset: 512, as: V.self) : V()
                            let k3 = m > 3 ? key.loadUnaligned(fromByteOffset: 768, as: V.self) : V()
                            var sa = V()
                            sa.addProduct(k0, a0)
                            if m > 1 { sa.addProduct(k1, a1) }
                            if m > 2 { sa.addProduct(k2, a2) }
                            if m > 3 { sa.addProduct(k3, a3) }
                            UnsafeMutableRawPointer(outA + 64 * (p - p0) + 8 * c).storeBytes(of: sa, as: V.self)
                            if second {
                                // (The same chain for the second head, written out: a shared local
                                // function changed what LLVM inlined and ran 10-15% slower.)
                                var sb = V()
                                sb.addProduct(k0, b0)
                                if m > 1 { sb.addProduct(k1, b1) }
                                if m > 2 { sb.addProduct(k2, b2) }
                                if m > 3 { sb.addProduct(k3, b3) }
                                UnsafeMutableRawPointer(outB + 64 * (p - p0) + 8 * c).storeBytes(of: sb, as: V.self)
                            }
                        }
                    }
                    if m == 2 { pass(2) } else { pass(4) }
                }
                g += 2
            }
            for g in 0..<group {
                let out = scores + g * headStride, chunks = UnsafeRawPointer(partials + g * headStride)
                for p in p0..<p1 {
                    @inline(__always) func chunk(_ c: Int) -> V { chunks.loadUnaligned(fromByteOffset: 4 * (64 * (p - p0) + 8 * c), as: V.self) }
                    // (s0 + s2) + (s1 + s3) of the four 16-lane accumulators, then `reduce`.
                    let low = (chunk(0) + chunk(4)) + (chunk(2) + chunk(6)), high = (chunk(1) + chunk(5)) + (chunk(3) + chunk(7))
                    let eight = low + high
                    let four = eight.lowHalf + eight.highHalf
                    out[p] = ((four[0] + four[2]) + (four[1] + four[3])) * scale
                }
            }
            p0 = p1
        }
    }

    /// `accumulateLane` for four query heads at once (their weights `weightStride` apart, their
    /// outputs `outputStride` apart), each V row read once for the four; per head and column
    /// the same fused adds in the same order.
    @inline(__always)
    static func accumulateLane4(_ weights: UnsafePointer<Float>, weightStride: Int, _ rows: UnsafePointer<Float>, stride: Int, first: Int,
                                count: Int, step: Int, headSize: Int, slots: Int, into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        var j = 0
        while j + 16 <= headSize {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var p = first
            while p < count {
                // The rows of a lane are 16 cache rows apart, a stride the hardware does not
                // follow: ask for the one after next.
                Prefetch.line(rows + slot(min(p + 2 * step, count - 1), slots) * stride + j)
                let row = UnsafeRawPointer(rows + slot(p, slots) * stride + j).loadUnaligned(as: SIMD16<Float>.self)
                a0.addProduct(SIMD16<Float>(repeating: weights[p]), row)
                a1.addProduct(SIMD16<Float>(repeating: weights[weightStride + p]), row)
                a2.addProduct(SIMD16<Float>(repeating: weights[2 * weightStride + p]), row)
                a3.addProduct(SIMD16<Float>(repeating: weights[3 * weightStride + p]), row)
                p += step
            }
            UnsafeMutableRawPointer(output + j).storeBytes(of: a0, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + outputStride + j).storeBytes(of: a1, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + 2 * outputStride + j).storeBytes(of: a2, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + 3 * outputStride + j).storeBytes(of: a3, as: SIMD16<Float>.self)
            j += 16
        }
        while j < headSize {
            for g in 0..<4 {
                var a: Float = 0
                var p = first
                while p < count {
                    a = a.addingProduct(weights[g * weightStride + p], rows[slot(p, slots) * stride + j])
                    p += step
                }
                output[g * outputStride + j] = a
            }
            j += 1
        }
    }

    /// One token (a decode step) at `position`, in four balanced phases so each K and V row is
    /// read once for all the query heads that share it, however few KV heads there are to split:
    /// scores by position ranges, softmax by heads, weighted sums by (KV head, lane) units, the
    /// lanes combined by heads. Every value is computed with the same operations in the same
    /// order as `perHead`, so the two agree bit for bit.
    static func decode(query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                       output: UnsafeMutablePointer<Float>, position: Int, heads: Int, kvHeads: Int,
                       headSize: Int, context: Int, scratch: UnsafeMutablePointer<Float>, threads: Int,
                       window: Int? = nil, slots: Int? = nil, scale: Float? = nil) {
        let box = SendableBox((query, keys, values, output, scratch))
        let group = heads / kvHeads
        let scale = scale ?? 1 / Float(headSize).squareRoot()
        let slots = slots ?? context
        let lo = lowest(position, window: window)
        let kvWidth = kvHeads * headSize
        let slice = scratchPerWorker(context: context, headSize: headSize)
        let length = position + 1
        let lanes = 64
        Parallel.chunks(length - lo, threads: threads, granularity: 16) { range in
            let (q, k, _, _, scores) = box.value
            for p in lo + range.lowerBound..<lo + range.upperBound {
                for kvHead in 0..<kvHeads {
                    let key = k + slot(p, slots) * kvWidth + kvHead * headSize
                    for h in kvHead * group..<(kvHead + 1) * group {
                        scores[h * slice + p] = GGMLRounding.dot(key, q + h * headSize, count: headSize) * scale
                    }
                }
            }
        }
        Parallel.chunks(heads, threads: threads) { range in
            let scores = box.value.4
            for h in range {
                let aligned = maskBelow(lo, scores + h * slice)
                softmax(scores + h * slice + aligned, count: length - aligned)
            }
        }
        Parallel.chunks(kvHeads * lanes, threads: threads) { range in
            let (_, _, v, _, scratch) = box.value
            for unit in range {
                let kvHead = unit / lanes, lane = unit % lanes
                // The unit's V rows (length / 64 of them) stay in L1 across the group's heads.
                for h in kvHead * group..<(kvHead + 1) * group {
                    let scores = scratch + h * slice
                    accumulateLane(scores, v + kvHead * headSize, stride: kvWidth, first: firstInLane(lane, from: lo, lanes: lanes),
                                   count: length, step: lanes, headSize: headSize, slots: slots,
                                   into: scores + context + 16 + lane * headSize)
                }
            }
        }
        Parallel.chunks(heads, threads: threads) { range in
            let (_, _, _, out, scratch) = box.value
            for h in range {
                combine(scratch + h * slice + context + 16, lanes: lanes, headSize: headSize, output: out + h * headSize)
            }
        }
    }

    /// llama.cpp's `soft_max` over one row: exp by `GGMLRounding.exp`, the sum of each chunk of 16
    /// reduced in float and added in double, then one multiply by the float of 1/sum.
    @inline(__always)
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        // The maximum eight at a time (the scalar `max` chain did not vectorize and was most
        // of a softmax over SmolLM2's 64-wide heads); the same value for any order.
        var widest = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            widest = GGMLRounding.maximum(widest, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var maximum = widest.max()
        while i < count { maximum = max(maximum, x[i]); i += 1 }
        let padded = (count + 15) / 16 * 16
        for i in count..<padded { x[i] = 0 }
        var sum: Double = 0
        var chunk = 0
        let lanes = SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        while chunk < padded {
            let raw = UnsafeMutableRawPointer(x + chunk)
            var values = GGMLRounding.exp(raw.loadUnaligned(as: SIMD16<Float>.self) - maximum)
            if chunk + 16 > count {
                // Lanes at or past `count` to +0: all-ones where lane − left is negative, by an
                // arithmetic shift (`replace(with:where:)` compiled to a store and reload per lane).
                let keep = unsafeBitCast((lanes &- Int32(count - chunk)) &>> 31, to: SIMD16<UInt32>.self)
                values = unsafeBitCast(unsafeBitCast(values, to: SIMD16<UInt32>.self) & keep, to: SIMD16<Float>.self)
            }
            raw.storeBytes(of: values, as: SIMD16<Float>.self)
            sum += Double(GGMLRounding.reduce(values))
            chunk += 16
        }
        let inverse = Float(1 / sum)
        for i in 0..<count { x[i] *= inverse }
    }

    /// One lane's accumulator: `output[j] = Σ weights[p] · rows[p·stride + j]` over positions
    /// p = first, first + step, … below `count`, each fused in order from zero (what llama.cpp's
    /// lane p mod `step` holds), the lane's accumulators in registers (64 values at a time).
    @inline(__always)
    static func accumulateLane(_ weights: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, first: Int, count: Int,
                               step: Int, headSize: Int, slots: Int, into output: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 64 <= headSize {
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var p = first
            while p < count {
                let row = UnsafeRawPointer(rows + slot(p, slots) * stride + j)
                let w = SIMD16<Float>(repeating: weights[p])
                a0.addProduct(w, row.loadUnaligned(as: SIMD16<Float>.self))
                a1.addProduct(w, row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
                a2.addProduct(w, row.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self))
                a3.addProduct(w, row.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self))
                p += step
            }
            let out = UnsafeMutableRawPointer(output + j)
            out.storeBytes(of: a0, as: SIMD16<Float>.self)
            out.storeBytes(of: a1, toByteOffset: 64, as: SIMD16<Float>.self)
            out.storeBytes(of: a2, toByteOffset: 128, as: SIMD16<Float>.self)
            out.storeBytes(of: a3, toByteOffset: 192, as: SIMD16<Float>.self)
            j += 64
        }
        while j + 16 <= headSize {
            var a = SIMD16<Float>()
            var p = first
            while p < count {
                a.addProduct(SIMD16<Float>(repeating: weights[p]), UnsafeRawPointer(rows + slot(p, slots) * stride + j).loadUnaligned(as: SIMD16<Float>.self))
                p += step
            }
            UnsafeMutableRawPointer(output + j).storeBytes(of: a, as: SIMD16<Float>.self)
            j += 16
        }
        while j < headSize {
            var a: Float = 0
            var p = first
            while p < count {
                a = a.addingProduct(weights[p], rows[slot(p, slots) * stride + j])
                p += step
            }
            output[j] = a
            j += 1
        }
    }

    /// The first position at or after `lo` that falls in `lane` (position p is in lane p mod `lanes`).
    @inline(__always)
    static func firstInLane(_ lane: Int, from lo: Int, lanes: Int) -> Int { lo + (lane - lo % lanes + lanes) % lanes }

    /// `output[j]` from the lane accumulators (`lanes × headSize`, position p accumulated in lane
    /// p mod `lanes`), combined as llama.cpp's tinyBLAS (16) or `ggml_vec_dot_f32` (64) does.
    ///
    /// Sixteen outputs at a time: the reduction's pairwise tree (`GGMLRounding.reduce`) runs
    /// across sixteen columns at once, each lane its own column, so every output gets the same
    /// additions in the same order as the one-at-a-time loop below (which does the rest).
    @inline(__always)
    static func combine(_ accumulators: UnsafePointer<Float>, lanes: Int, headSize: Int, output: UnsafeMutablePointer<Float>) {
        typealias V = SIMD16<Float>
        let raw = UnsafeRawPointer(accumulators)
        var first = 0
        while first + 16 <= headSize {
            @inline(__always) func lane(_ l: Int) -> V {
                @inline(__always) func row(_ k: Int) -> V { raw.loadUnaligned(fromByteOffset: 4 * (k * headSize + first), as: V.self) }
                return lanes == 16 ? row(l) : (row(l) + row(32 + l)) + (row(16 + l) + row(48 + l))
            }
            let e0 = lane(0) + lane(8), e1 = lane(1) + lane(9), e2 = lane(2) + lane(10), e3 = lane(3) + lane(11)
            let e4 = lane(4) + lane(12), e5 = lane(5) + lane(13), e6 = lane(6) + lane(14), e7 = lane(7) + lane(15)
            let f0 = e0 + e4, f1 = e1 + e5, f2 = e2 + e6, f3 = e3 + e7
            UnsafeMutableRawPointer(output + first).storeBytes(of: (f0 + f2) + (f1 + f3), as: V.self)
            first += 16
        }
        for j in first..<headSize {
            var lane = SIMD16<Float>()
            if lanes == 16 {
                for l in 0..<16 { lane[l] = accumulators[l * headSize + j] }
            } else {
                // ggml_vec_dot_f32: accumulators g·16 + l for g = 0..<4, combined (g0+g2)+(g1+g3).
                for l in 0..<16 {
                    let a0 = accumulators[l * headSize + j], a1 = accumulators[(16 + l) * headSize + j]
                    let a2 = accumulators[(32 + l) * headSize + j], a3 = accumulators[(48 + l) * headSize + j]
                    lane[l] = (a0 + a2) + (a1 + a3)
                }
            }
            output[j] = GGMLRounding.reduce(lane)
        }
    }
}

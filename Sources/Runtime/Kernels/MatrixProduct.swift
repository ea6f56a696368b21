/// Matrix products of stored weights with activation rows, split across cores by weight rows.
///
/// `output[t][r] = Σ_c W[r][c] · x[t][c]` for `tokens` activation rows. The loop keeps one weight
/// row hot in cache while it meets every token's activations (for a prompt batch the quantized
/// activations fit in L2), so each weight byte is read from memory once per call: a matrix-vector
/// product when `tokens == 1`, a matrix-matrix product otherwise.
enum MatrixProduct {
    /// Converts `input` (`tokens × W.columns` floats) into `scratch` for `weights`' format and
    /// writes `tokens × W.rows` floats to `output` (row stride `outputStride`, default `W.rows`).
    static func multiply(_ weights: WeightMatrix, _ input: UnsafePointer<Float>, tokens: Int,
                         into output: UnsafeMutablePointer<Float>, outputStride: Int? = nil,
                         scratch: ActivationBuffer, threads: Int) {
        scratch.convert(input, rows: tokens, columns: weights.columns, to: weights.format.activationFormat, threads: threads)
        multiplyConverted(weights, scratch, tokens: tokens, into: output, outputStride: outputStride ?? weights.rows, threads: threads)
    }

    /// As `multiply`, for activations already converted to `weights.format.activationFormat`
    /// (several matrices that share an input convert it once).
    static func multiplyConverted(_ weights: WeightMatrix, _ converted: ActivationBuffer, tokens: Int,
                                  into output: UnsafeMutablePointer<Float>, outputStride: Int, threads: Int) {
        let box = SendableBox((weights, converted, output))
        // Tiny products are not worth waking a second core for.
        let work = weights.rows * weights.columns * tokens
        let workers = work < 32_768 ? 1 : threads
        Parallel.chunks(weights.rows, threads: workers, granularity: 16, piecesPerThread: piecesPerThread(work)) { range in
            let (w, x, y) = box.value
            rowsKernel(w, x, tokens: tokens, rows: range, output: y, stride: outputStride)
        }
    }

    /// Pieces per thread for a product of `work` multiply-adds: four for the long ones (a
    /// prompt batch, Gemma 3's output head), so a thread that loses its core for a while leaves
    /// its share to the other; one for a decode step's small products, where each extra claim
    /// would cost more than it balances.
    static func piecesPerThread(_ work: Int) -> Int { work >= 8_000_000 ? 4 : 1 }

    /// One matrix of a group that shares converted activations (`multiplyGroup`).
    struct Target: @unchecked Sendable {
        // @unchecked: the output pointer is written only for this target's rows, by one worker
        // per row range, and the call waits for all workers.
        var weights: WeightMatrix
        var output: UnsafeMutablePointer<Float>
        var stride: Int
    }

    /// Up to three matrices with the same input (Q/K/V, gate/up) in one dispatch: their rows
    /// are split across the workers together, so a decode step waits on one barrier, not three.
    static func multiplyGroup(_ a: Target, _ b: Target, _ c: Target?, converted: ActivationBuffer, tokens: Int, threads: Int) {
        let unit = 16
        let unitsA = (a.weights.rows + unit - 1) / unit, unitsB = (b.weights.rows + unit - 1) / unit
        let unitsC = c.map { ($0.weights.rows + unit - 1) / unit } ?? 0
        let total = unitsA + unitsB + unitsC
        let work = (a.weights.rows + b.weights.rows + (c?.weights.rows ?? 0)) * a.weights.columns * tokens
        let box = SendableBox((a, b, c, converted))
        Parallel.chunks(total, threads: work < 32_768 ? 1 : threads, piecesPerThread: piecesPerThread(work)) { range in
            let (a, b, c, x) = box.value
            // Map the global unit range onto each target's rows (no arrays: nothing allocated).
            @inline(__always) func part(_ target: Target, first: Int, count: Int) {
                let lower = max(range.lowerBound, first), upper = min(range.upperBound, first + count)
                guard lower < upper else { return }
                let rows = (lower - first) * unit..<min(target.weights.rows, (upper - first) * unit)
                rowsKernel(target.weights, x, tokens: tokens, rows: rows, output: target.output, stride: target.stride)
            }
            part(a, first: 0, count: unitsA)
            part(b, first: unitsA, count: unitsB)
            if let c { part(c, first: unitsA + unitsB, count: unitsC) }
        }
    }

    /// Rows unpacked together by `batchKernel`: their quants stay in L2 while every token
    /// passes, and one group of eight tokens' activations stays in L1 across them.
    static let batchTileRows = 16

    /// A prompt batch of a format with a batch kernel (`WeightMatrix.hasBatchKernel`): each
    /// tile of `batchTileRows` rows is unpacked once (`DotProduct.unpackRows`/`unpackKRows`),
    /// then every group of eight tokens meets each of its rows (`signed8`, `unsigned8`, `q4K8`,
    /// `q6K8`); the last `tokens % 8` tokens go through `dot4`/`dot`. All bit-identical to `dot`
    /// per (row, token).
    private static func batchKernel(_ w: WeightMatrix, _ x: ActivationBuffer, tokens: Int, rows: Range<Int>,
                                    output: UnsafeMutablePointer<Float>, stride: Int) {
        let n = w.columns, tile = batchTileRows
        let superBlocks = w.format == .q4_K || w.format == .q6_K
        let blocks = superBlocks ? n / 256 : n / 32
        let rowBytes = superBlocks ? blocks * DotProduct.unpackedSuperBlockBytes : n
        let quants = UnsafeMutableRawPointer.allocate(byteCount: tile * rowBytes, alignment: 64)
        // Blocks of 32: each row's block scales and mins, and a group's per-row scale products.
        let scales = UnsafeMutablePointer<Float>.allocate(capacity: superBlocks ? 0 : 2 * tile * blocks + 8 * blocks)
        defer { quants.deallocate(); scales.deallocate() }
        let mins = scales + tile * blocks, products = scales + 2 * tile * blocks
        let tiled = w.roundsTiledInBatches  // tokens ≥ 8 here
        let full = tokens / 8 * 8
        var r0 = rows.lowerBound
        while r0 < rows.upperBound {
            let count = min(tile, rows.upperBound - r0)
            if superBlocks {
                DotProduct.unpackKRows(w, first: r0, rows: count, into: quants)
            } else {
                DotProduct.unpackRows(w, first: r0, rows: count, quants: quants, scales: scales, mins: mins)
            }
            var t = 0
            while t < full {
                // Group t / 8 of the interleaved copy starts where row t starts in the plain one.
                let y = x.batchQuants + t * n
                for k in 0..<count {
                    let unpacked = UnsafeRawPointer(quants + k * rowBytes)
                    let sums: SIMD8<Float>
                    switch w.format {
                    case .q4_K:
                        sums = DotProduct.q4K8(unpacked, w.row(r0 + k), y, x.batchScales + t * blocks, x.batchGroupSums + t * n / 16, blocks: blocks)
                    case .q6_K:
                        sums = DotProduct.q6K8(unpacked, w.row(r0 + k), y, x.batchScales + t * blocks, x.batchGroupSums + t * n / 16, blocks: blocks,
                                               tiled: tiled)
                    case .q4_1, .q5_1:
                        DotProduct.blockScales(scales + k * blocks, x.batchScales + t * blocks, blocks: blocks, into: products)
                        sums = DotProduct.unsigned8(unpacked, products, mins + k * blocks, UnsafeRawPointer(y), x.batchBlockSums + t * blocks, blocks: blocks)
                    default:
                        DotProduct.blockScales(scales + k * blocks, x.batchScales + t * blocks, blocks: blocks, into: products)
                        sums = DotProduct.signed8(unpacked, products, UnsafeRawPointer(y), blocks: blocks)
                    }
                    for j in 0..<8 { output[(t + j) * stride + r0 + k] = sums[j] }
                }
                t += 8
            }
            for r in r0..<r0 + count {
                row(w, r, x, tokens: full..<tokens, tiled: tiled, output: output, stride: stride)
            }
            r0 += count
        }
    }

    /// Row `r` times the activation rows `tokens`, four at a time where the format has a
    /// four-token kernel (one weight-block unpack per four tokens), then one by one.
    @inline(__always)
    private static func row(_ w: WeightMatrix, _ r: Int, _ x: ActivationBuffer, tokens: Range<Int>, tiled: Bool,
                            output: UnsafeMutablePointer<Float>, stride: Int) {
        var t = tokens.lowerBound
        if w.hasFourTokenKernel {
            while t + 4 <= tokens.upperBound {
                let sums = w.dot4(row: r, x, token: t, tiled: tiled)
                for k in 0..<4 { output[(t + k) * stride + r] = sums[k] }
                t += 4
            }
        }
        while t < tokens.upperBound {
            output[t * stride + r] = w.dot(row: r, x, token: t, tiled: tiled)
            t += 1
        }
    }

    @inline(__always)
    private static func rowsKernel(_ w: WeightMatrix, _ x: ActivationBuffer, tokens: Int, rows: Range<Int>,
                                   output: UnsafeMutablePointer<Float>, stride: Int) {
        if tokens == 1 && w.hasFourRowKernel {
            // A decode step: four rows at a time (independent accumulation chains).
            var r = rows.lowerBound
            while r + 4 <= rows.upperBound {
                let sums = w.dotRows4(row: r, x)
                for k in 0..<4 { output[r + k] = sums[k] }
                r += 4
            }
            while r < rows.upperBound {
                output[r] = w.dot(row: r, x, token: 0)
                r += 1
            }
            return
        }
        if tokens >= 8 && w.hasBatchKernel {
            batchKernel(w, x, tokens: tokens, rows: rows, output: output, stride: stride)
            return
        }
        if tokens == 1 {
            // A decode step without a four-row kernel (the K-quants): row by row, each call
            // prefetching the row `Prefetch.ahead` bytes further on.
            let bytes = w.rowBytes, lines = (bytes + 63) / 64, ahead = Prefetch.ahead(span: bytes)
            for r in rows {
                let next = w.row(r) + ahead
                for l in 0..<lines { Prefetch.line(next + 64 * l) }
                output[r] = w.dot(row: r, x, token: 0)
            }
            return
        }
        // Blocks of 64 rows × 64 tokens keep both the weights and the activations in L1/L2.
        let rowTile = 64, tokenTile = 64
        // llama.cpp multiplies Q3_K/Q5_K/Q6_K weights by 8 or more rows with its tiled kernel.
        let tiled = tokens >= 8 && w.roundsTiledInBatches
        var t0 = 0
        while t0 < tokens {
            let t1 = min(tokens, t0 + tokenTile)
            var r0 = rows.lowerBound
            while r0 < rows.upperBound {
                let r1 = min(rows.upperBound, r0 + rowTile)
                for r in r0..<r1 {
                    row(w, r, x, tokens: t0..<t1, tiled: tiled, output: output, stride: stride)
                }
                r0 = r1
            }
            t0 = t1
        }
    }
}

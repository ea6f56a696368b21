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
        scratch.convert(input, rows: tokens, columns: weights.columns, to: weights.format.activationFormat)
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
        Parallel.chunks(weights.rows, threads: workers, granularity: 16) { range in
            let (w, x, y) = box.value
            rowsKernel(w, x, tokens: tokens, rows: range, output: y, stride: outputStride)
        }
    }

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
        Parallel.chunks(total, threads: work < 32_768 ? 1 : threads) { range in
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
                    var t = t0
                    if w.hasFourTokenKernel {
                        // Four tokens per weight-block unpack.
                        while t + 4 <= t1 {
                            let sums = w.dot4(row: r, x, token: t, tiled: tiled)
                            for k in 0..<4 { output[(t + k) * stride + r] = sums[k] }
                            t += 4
                        }
                    }
                    while t < t1 {
                        output[t * stride + r] = w.dot(row: r, x, token: t, tiled: tiled)
                        t += 1
                    }
                }
                r0 = r1
            }
            t0 = t1
        }
    }
}

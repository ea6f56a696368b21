/// The matrix products of training, on row-major activations (`tokens` rows) and row-major
/// weights W (out × in), forward and transposed, with the LoRA branch; all through
/// `MatrixProduct`'s blocked kernels.
enum Linear {
    /// y[t] = W·x[t] (overwrites y: tokens × out).
    static func forward(_ x: Buffer, _ w: Buffer, _ y: Buffer, tokens: Int, input: Int, output: Int, threads: Int) {
        MatrixProduct.rowsByRows(m: tokens, n: output, k: input, a: x.pointer, lda: input, b: w.pointer, ldb: input,
                                 c: y.pointer, ldc: output, accumulate: false, threads: threads)
    }

    /// dx[t] += Wᵀ·dy[t] (dx: tokens × in), the input gradient through a frozen weight.
    static func backward(_ dy: Buffer, _ w: Buffer, _ dx: Buffer, tokens: Int, input: Int, output: Int, threads: Int) {
        MatrixProduct.rowsByColumns(m: tokens, n: input, k: output, a: dy.pointer, aRow: output, aColumn: 1,
                                    b: w.pointer, ldb: input, c: dx.pointer, ldc: input, threads: threads)
    }

    /// scale·Bᵀ (rank × out) of a LoRA matrix, the layout both directions of the B product use.
    static func scaledTransposedB(_ m: LoRAParameters.Matrix, rank: Int, scale: Float) -> Buffer {
        let bt = Buffer(rank * m.output)
        for j in 0..<m.output { for r in 0..<rank { bt.pointer[r * m.output + j] = scale * m.b.pointer[j * rank + r] } }
        return bt
    }

    /// y[t] += scale·B·z[t] with z[t] = A·x[t] saved (tokens × rank) for the backward pass.
    static func loraForward(_ m: LoRAParameters.Matrix, rank: Int, scale: Float, _ x: Buffer, _ y: Buffer, z: Buffer,
                            tokens: Int, threads: Int) {
        MatrixProduct.rowsByRows(m: tokens, n: rank, k: m.input, a: x.pointer, lda: m.input, b: m.a.pointer, ldb: m.input,
                                 c: z.pointer, ldc: rank, accumulate: false, threads: threads)
        let bt = scaledTransposedB(m, rank: rank, scale: scale)
        MatrixProduct.rowsByColumns(m: tokens, n: m.output, k: rank, a: z.pointer, aRow: rank, aColumn: 1,
                                    b: bt.pointer, ldb: m.output, c: y.pointer, ldc: m.output, threads: threads)
    }

    /// Given dy (tokens × out): dB += scale·dyᵀ·z, dz = scale·dy·B, dA += dzᵀ·x, dx += dz·A.
    static func loraBackward(_ m: LoRAParameters.Matrix, gradient g: LoRAParameters.Matrix, rank: Int, scale: Float,
                             _ x: Buffer, z: Buffer, _ dy: Buffer, _ dx: Buffer, tokens: Int, threads: Int) {
        // dBᵀ (rank × out) = zᵀ·dy, z read transposed in place.
        let dbt = Buffer(rank * m.output)
        MatrixProduct.rowsByColumns(m: rank, n: m.output, k: tokens, a: z.pointer, aRow: 1, aColumn: rank,
                                    b: dy.pointer, ldb: m.output, c: dbt.pointer, ldc: m.output, threads: threads)
        for j in 0..<m.output { for r in 0..<rank { g.b.pointer[j * rank + r] += scale * dbt.pointer[r * m.output + j] } }
        let dz = Buffer(tokens * rank), bt = scaledTransposedB(m, rank: rank, scale: scale)
        MatrixProduct.rowsByRows(m: tokens, n: rank, k: m.output, a: dy.pointer, lda: m.output, b: bt.pointer, ldb: m.output,
                                 c: dz.pointer, ldc: rank, accumulate: false, threads: threads)
        MatrixProduct.rowsByColumns(m: rank, n: m.input, k: tokens, a: dz.pointer, aRow: 1, aColumn: rank,
                                    b: x.pointer, ldb: m.input, c: g.a.pointer, ldc: m.input, threads: threads)
        MatrixProduct.rowsByColumns(m: tokens, n: m.input, k: rank, a: dz.pointer, aRow: rank, aColumn: 1,
                                    b: m.a.pointer, ldb: m.input, c: dx.pointer, ldc: m.input, threads: threads)
    }
}

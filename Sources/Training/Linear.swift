/// The matrix products of training, on row-major activations (`tokens` rows) and row-major
/// weights W (out × in), forward and transposed, with the LoRA branch.
enum Linear {
    /// y[t] = W·x[t] (overwrites y: tokens × out).
    static func forward(_ x: Buffer, _ w: Buffer, _ y: Buffer, tokens: Int, input: Int, output: Int, threads: Int) {
        parallelFor(output, threads: threads) { j in
            let row = w.pointer + j * input
            for t in 0..<tokens { y.pointer[t * output + j] = dot(x.pointer + t * input, row, input) }
        }
    }

    /// dx[t] += Wᵀ·dy[t] (dx: tokens × in), the input gradient through a frozen weight.
    static func backward(_ dy: Buffer, _ w: Buffer, _ dx: Buffer, tokens: Int, input: Int, output: Int, threads: Int) {
        parallelFor(tokens, threads: threads) { t in
            let target = dx.pointer + t * input, upstream = dy.pointer + t * output
            for j in 0..<output where upstream[j] != 0 { axpy(upstream[j], w.pointer + j * input, target, input) }
        }
    }

    /// y[t] += scale·B·z[t] with z[t] = A·x[t] saved (tokens × rank) for the backward pass.
    static func loraForward(_ m: LoRAParameters.Matrix, rank: Int, scale: Float, _ x: Buffer, _ y: Buffer, z: Buffer, tokens: Int) {
        for t in 0..<tokens {
            for r in 0..<rank { z.pointer[t * rank + r] = dot(m.a.pointer + r * m.input, x.pointer + t * m.input, m.input) }
            for j in 0..<m.output {
                y.pointer[t * m.output + j] += scale * dot(m.b.pointer + j * rank, z.pointer + t * rank, rank)
            }
        }
    }

    /// Given dy (tokens × out): dB += scale·dyᵀ·z, dz = scale·dy·B, dA += dzᵀ·x, dx += dz·A.
    static func loraBackward(_ m: LoRAParameters.Matrix, gradient g: LoRAParameters.Matrix, rank: Int, scale: Float,
                             _ x: Buffer, z: Buffer, _ dy: Buffer, _ dx: Buffer, tokens: Int) {
        let dz = Buffer(tokens * rank)
        for t in 0..<tokens {
            let upstream = dy.pointer + t * m.output
            for j in 0..<m.output where upstream[j] != 0 {
                let factor = scale * upstream[j]
                axpy(factor, z.pointer + t * rank, g.b.pointer + j * rank, rank)
                axpy(factor, m.b.pointer + j * rank, dz.pointer + t * rank, rank)
            }
            for r in 0..<rank {
                let d = dz.pointer[t * rank + r]
                axpy(d, x.pointer + t * m.input, g.a.pointer + r * m.input, m.input)
                axpy(d, m.a.pointer + r * m.input, dx.pointer + t * m.input, m.input)
            }
        }
    }
}

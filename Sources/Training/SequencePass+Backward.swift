import Foundation
import Runtime

extension SequencePass {
    /// The output head and cross-entropy: for every t with `mask[t + 1]`, the loss of predicting
    /// token t+1 at t. Returns the summed loss and the count, and writes lossScale·dLoss/d(final
    /// normed row) into `dNormed` (T × W); the logits are computed for `headRows` rows at a time,
    /// never for all, against the head's rows dequantized `FrozenBase.headChunk` at a time (once
    /// for the logits, again for the input gradient).
    func head(mask: [Bool], lossScale: Float, dNormed: Buffer) -> (loss: Double, count: Int) {
        let c = base.configuration, W = c.width, V = c.vocabularySize
        let rows = (0..<T - 1).filter { mask[$0 + 1] }
        let block = min(Self.headRows, max(rows.count, 1))
        let logits = Buffer(block * V), input = Buffer(block * W), dInput = Buffer(block * W)
        let losses = SendableBox(UnsafeMutablePointer<Double>.allocate(capacity: block))
        defer { losses.value.deallocate() }
        let headChunks = stride(from: 0, to: V, by: FrozenBase.headChunk).map { $0..<min(V, $0 + FrozenBase.headChunk) }
        var loss = 0.0
        for first in stride(from: 0, to: rows.count, by: block) {
            let chosen = Array(rows[first..<min(rows.count, first + block)]), b = chosen.count
            for (i, t) in chosen.enumerated() { (input.pointer + i * W).update(from: finalNormed.pointer + t * W, count: W) }
            for rows in headChunks {
                FrozenBase.dequantize(base.output, rows: rows, into: scratch, threads: threads)
                MatrixProduct.rowsByRows(m: b, n: rows.count, k: W, a: input.pointer, lda: W, b: scratch.pointer, ldb: W,
                                         c: logits.pointer + rows.lowerBound, ldc: V, accumulate: false, threads: threads)
            }
            let targets = chosen.map { tokens[$0 + 1] }
            // Each row becomes lossScale·(softmax − onehot(target)), its loss kept.
            parallelFor(b, threads: threads) { i in
                let row = logits.pointer + i * V
                var maximum = -Float.infinity
                for v in 0..<V { maximum = max(maximum, row[v]) }
                let target = row[targets[i]]
                var sum = 0.0
                for v in 0..<V {
                    let e = expf(row[v] - maximum)
                    row[v] = e
                    sum += Double(e)
                }
                losses.value[i] = log(sum) + Double(maximum) - Double(target)
                let factor = Float(1 / sum) * lossScale
                for v in 0..<V { row[v] *= factor }
                row[targets[i]] -= lossScale
            }
            for i in 0..<b { loss += losses.value[i] }
            dInput.zero()
            for rows in headChunks {
                FrozenBase.dequantize(base.output, rows: rows, into: scratch, threads: threads)
                MatrixProduct.rowsByColumns(m: b, n: W, k: rows.count, a: logits.pointer + rows.lowerBound, aRow: V, aColumn: 1,
                                            b: scratch.pointer, ldb: W, c: dInput.pointer, ldc: W, threads: threads)
            }
            for (i, t) in chosen.enumerated() { axpy(1, dInput.pointer + i * W, dNormed.pointer + t * W, W) }
        }
        return (loss, rows.count)
    }

    /// Rows of logits computed at once by `head` (256 × a 49,152-token vocabulary: 50 MB): each
    /// block dequantizes the head twice, so fewer, larger blocks dequantize it less often.
    static let headRows = 256

    /// dx += the input gradient of y = rmsnorm(x)·w given dy (rows of `width`).
    static func rmsNormBackward(_ dy: Buffer, _ x: Buffer, inverse: [Float], _ w: Buffer, into dx: Buffer, tokens: Int, width: Int) {
        for t in 0..<tokens {
            let r = inverse[t], row = x.pointer + t * width, upstream = dy.pointer + t * width
            var sum: Float = 0
            for i in 0..<width { sum += w.pointer[i] * upstream[i] * row[i] }
            let correction = r * r * r * sum / Float(width)
            for i in 0..<width { dx.pointer[t * width + i] += r * w.pointer[i] * upstream[i] - row[i] * correction }
        }
    }

    /// dx += the input gradient of a frozen product (and its LoRA branch, whose A/B gradients
    /// go to `gradients`) given dy.
    func projectBackward(_ layer: Int, _ target: LoRATarget, _ w: GGUFRows, x: Buffer, dy: Buffer, dx: Buffer,
                         input: Int, output: Int, tape: LayerTape, gradients: LoRAParameters) {
        FrozenBase.dequantize(w, into: scratch, threads: threads)
        Linear.backward(dy, scratch, dx, tokens: T, input: input, output: output, threads: threads)
        guard let slot = lora.slots[layer][target], let z = tape.hidden[target] else { return }
        if let mask = tape.kept[target] {
            // The branch saw x·mask/(1−p): its A gradient uses that input, and its input
            // gradient reaches x only through the kept inputs, with the same scale.
            let dSource = Buffer(T * input), keep = 1 / (1 - dropout)
            Linear.loraBackward(lora.matrices[slot], gradient: gradients.matrices[slot], rank: lora.rank, scale: lora.scale,
                                masked(x, mask), z: z, dy, dSource, tokens: T, threads: threads)
            for i in 0..<T * input where mask[i] != 0 { dx.pointer[i] += keep * dSource.pointer[i] }
        } else {
            Linear.loraBackward(lora.matrices[slot], gradient: gradients.matrices[slot], rank: lora.rank, scale: lora.scale,
                                x, z: z, dy, dx, tokens: T, threads: threads)
        }
    }

    /// Adds this sequence's dLoss/dA and dLoss/dB to `gradients`, from `dNormed` (see `head`).
    func backward(dNormed: Buffer, gradients: LoRAParameters) {
        let c = base.configuration, W = c.width, qW = c.heads * c.headSize, kvW = c.kvHeads * c.headSize, F = c.feedForward
        let dx = Buffer(T * W)
        Self.rmsNormBackward(dNormed, final, inverse: finalRMS, base.outputNorm, into: dx, tokens: T, width: W)
        for l in stride(from: layers.count - 1, through: 0, by: -1) {
            let tape = layers[l], w = base.layers[l]
            // Feed-forward: dx is the gradient of the layer's output (= middle + down).
            let dActivated = Buffer(T * F)
            projectBackward(l, .down, w.down, x: tape.activated, dy: dx, dx: dActivated, input: F, output: W, tape: tape, gradients: gradients)
            let dGate = Buffer(T * F), dUp = Buffer(T * F)
            for i in 0..<T * F {
                let g = tape.gate.pointer[i], s = 1 / (1 + expf(-g))
                dUp.pointer[i] = dActivated.pointer[i] * g * s
                dGate.pointer[i] = dActivated.pointer[i] * tape.up.pointer[i] * s * (1 + g * (1 - s))
            }
            let dNormed2 = Buffer(T * W)
            projectBackward(l, .gate, w.gate, x: tape.normed2, dy: dGate, dx: dNormed2, input: W, output: F, tape: tape, gradients: gradients)
            projectBackward(l, .up, w.up, x: tape.normed2, dy: dUp, dx: dNormed2, input: W, output: F, tape: tape, gradients: gradients)
            Self.rmsNormBackward(dNormed2, tape.middle, inverse: tape.inverseRMS2, w.feedForwardNorm, into: dx, tokens: T, width: W)
            // Attention: dx is now the gradient of `middle` (= input + attention output).
            let dAttention = Buffer(T * qW)
            projectBackward(l, .attentionOutput, w.output, x: tape.attention, dy: dx, dx: dAttention, input: qW, output: W, tape: tape, gradients: gradients)
            let (dq, dk, dv) = attendBackward(tape, dAttention)
            rotate(dq, heads: c.heads, inverse: true)
            rotate(dk, heads: c.kvHeads, inverse: true)
            let dNormed1 = Buffer(T * W)
            projectBackward(l, .attentionQuery, w.query, x: tape.normed1, dy: dq, dx: dNormed1, input: W, output: qW, tape: tape, gradients: gradients)
            projectBackward(l, .attentionKey, w.key, x: tape.normed1, dy: dk, dx: dNormed1, input: W, output: kvW, tape: tape, gradients: gradients)
            projectBackward(l, .attentionValue, w.value, x: tape.normed1, dy: dv, dx: dNormed1, input: W, output: kvW, tape: tape, gradients: gradients)
            Self.rmsNormBackward(dNormed1, tape.input, inverse: tape.inverseRMS1, w.attentionNorm, into: dx, tokens: T, width: W)
        }
    }

    /// Gradients of Q, K, V (after RoPE) from the attention output's. Parallel over KV heads, so
    /// that the query heads sharing one write its dK/dV rows from one thread.
    func attendBackward(_ tape: LayerTape, _ dOutput: Buffer) -> (Buffer, Buffer, Buffer) {
        let c = base.configuration, hs = c.headSize, group = c.heads / c.kvHeads, T = self.T
        let qW = c.heads * hs, kvW = c.kvHeads * hs, scale = 1 / Float(hs).squareRoot()
        let dq = Buffer(T * qW), dk = Buffer(T * kvW), dv = Buffer(T * kvW)
        let q = tape.query, k = tape.key, v = tape.value, probabilities = tape.probabilities
        parallelFor(c.kvHeads, threads: threads) { kvHead in
            var dScores = [Float](repeating: 0, count: T)
            for h in kvHead * group..<(kvHead + 1) * group {
                for t in 0..<T {
                    let p = probabilities.pointer + (h * T + t) * T, dO = dOutput.pointer + t * qW + h * hs
                    var weighted: Float = 0
                    for u in 0...t {
                        let dP = dot(dO, v.pointer + u * kvW + kvHead * hs, hs)
                        axpy(p[u], dO, dv.pointer + u * kvW + kvHead * hs, hs)
                        dScores[u] = dP
                        weighted += p[u] * dP
                    }
                    for u in 0...t {
                        let dS = scale * p[u] * (dScores[u] - weighted)
                        axpy(dS, k.pointer + u * kvW + kvHead * hs, dq.pointer + t * qW + h * hs, hs)
                        axpy(dS, q.pointer + t * qW + h * hs, dk.pointer + u * kvW + kvHead * hs, hs)
                    }
                }
            }
        }
        return (dq, dk, dv)
    }
}

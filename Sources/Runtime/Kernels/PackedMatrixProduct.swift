/// Float32 matrix products with weights packed into 32-column panels, for dense encoders (the
/// BERT sentence embedder): prompt-sized batches of f32 weights, where `MatrixProduct`'s one
/// dot product per (row, token) would load two vectors per multiply-add.
///
/// `y[m×n] = x[m×k] · w[k×n] + bias`, `w` packed once at load by `pack` as `[n/32][k][32]`: each
/// 32-column panel contiguous, so the kernel streams it sequentially while every 4-row block of
/// `x` passes over it (the panel stays in L2). Panels are split between the threads.
package enum PackedMatrixProduct {
    /// `w[k×n]` (row-major, `n` a multiple of 32) rearranged as `[n/32][k][32]`.
    package static func pack(_ w: [Float], k: Int, n: Int) -> [Float] {
        var packed = [Float](repeating: 0, count: w.count)
        for panel in 0..<(n / 32) {
            for i in 0..<k {
                for c in 0..<32 { packed[(panel * k + i) * 32 + c] = w[i * n + panel * 32 + c] }
            }
        }
        return packed
    }

    /// `y[m×n] = x[m×k] · packed + bias` on up to `threads` workers (`n` a multiple of 32).
    package static func multiply(_ x: UnsafePointer<Float>, _ packed: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                 into y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, threads: Int) {
        let box = SendableBox((x, packed, bias, y))
        Parallel.chunks(n / 32, threads: threads) { panels in
            let (x, packed, bias, y) = box.value
            for panel in panels {
                multiplyPanel(x, packed + panel * k * 32, bias, y, m: m, k: k, n: n, column: panel * 32)
            }
        }
    }

    /// The plain reference `multiply` is tested against: `y = x·w + bias` with `w` unpacked
    /// (`[k×n]`, row-major), one column at a time.
    package static func reference(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                  into y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int) {
        for row in 0..<m {
            for column in 0..<n {
                var sum = bias?[column] ?? 0
                for i in 0..<k { sum += x[row * k + i] * w[i * n + column] }
                y[row * n + column] = sum
            }
        }
    }

    /// One 32-column panel: 4 rows at a time in 8 SIMD16 accumulators, the panel read
    /// sequentially. Needs an FMA target for `addProduct` to be one instruction.
    @inline(__always)
    private static func multiplyPanel(_ x: UnsafePointer<Float>, _ panel: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                                      _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, column: Int) {
        typealias V = SIMD16<Float>
        let wRaw = UnsafeRawPointer(panel), yRaw = UnsafeMutableRawPointer(y)
        let stride = n * 4
        let b0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: column * 4, as: V.self) } ?? V()
        let b1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: column * 4 + 64, as: V.self) } ?? V()
        var row = 0
        while row + 4 <= m {
            var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
            let x0 = x + row * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k
            for i in 0..<k {
                let w0 = wRaw.loadUnaligned(fromByteOffset: i * 128, as: V.self)
                let w1 = wRaw.loadUnaligned(fromByteOffset: i * 128 + 64, as: V.self)
                let v0 = V(repeating: x0[i]), v1 = V(repeating: x1[i]), v2 = V(repeating: x2[i]), v3 = V(repeating: x3[i])
                a00.addProduct(v0, w0); a01.addProduct(v0, w1)
                a10.addProduct(v1, w0); a11.addProduct(v1, w1)
                a20.addProduct(v2, w0); a21.addProduct(v2, w1)
                a30.addProduct(v3, w0); a31.addProduct(v3, w1)
            }
            let base = row * stride + column * 4
            yRaw.storeBytes(of: a00, toByteOffset: base, as: V.self); yRaw.storeBytes(of: a01, toByteOffset: base + 64, as: V.self)
            yRaw.storeBytes(of: a10, toByteOffset: base + stride, as: V.self); yRaw.storeBytes(of: a11, toByteOffset: base + stride + 64, as: V.self)
            yRaw.storeBytes(of: a20, toByteOffset: base + 2 * stride, as: V.self); yRaw.storeBytes(of: a21, toByteOffset: base + 2 * stride + 64, as: V.self)
            yRaw.storeBytes(of: a30, toByteOffset: base + 3 * stride, as: V.self); yRaw.storeBytes(of: a31, toByteOffset: base + 3 * stride + 64, as: V.self)
            row += 4
        }
        while row < m {
            var a0 = b0, a1 = b1
            let x0 = x + row * k
            for i in 0..<k {
                let v = V(repeating: x0[i])
                a0.addProduct(v, wRaw.loadUnaligned(fromByteOffset: i * 128, as: V.self))
                a1.addProduct(v, wRaw.loadUnaligned(fromByteOffset: i * 128 + 64, as: V.self))
            }
            yRaw.storeBytes(of: a0, toByteOffset: row * stride + column * 4, as: V.self)
            yRaw.storeBytes(of: a1, toByteOffset: row * stride + column * 4 + 64, as: V.self)
            row += 1
        }
    }
}

// Retrieval's own f32 kernels: small and clearly marked, used until Runtime/Kernels provides the
// same operations (helper "model"); switch then and delete these.

/// y[m×n] = x[m×k] · w[k×n] + bias[n], all row-major, split over columns between the threads.
///
/// A register-blocked kernel: 4 rows × 32 columns of accumulators (8 × SIMD16), k streamed, so each
/// 32-column panel of `w` (k×32 floats) stays in L2 while every row block passes over it. Needs an
/// FMA target (`-target-cpu native`) for `addProduct` to become one instruction.
func matmul(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
            _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int) {
    let xs = SendablePointer(x), ws = SendablePointer(w), ys = SendablePointer(y)
    let bs = bias.map { SendablePointer($0) }
    let blocked = n / 32 * 32
    Parallel.run { part, parts in
        let columns = Parallel.slice(blocked, part: part, parts: parts, granule: 32)
        matmulPanel(xs.pointer, ws.pointer, bs?.pointer, ys.pointer, m: m, k: k, n: n, columns: columns)
        if part == parts - 1 && blocked < n {
            matmulScalar(xs.pointer, ws.pointer, bs?.pointer, ys.pointer, m: m, k: k, n: n, columns: blocked..<n)
        }
    }
}

/// Columns `columns` (a multiple of 32 wide) of y = x·w + bias.
@inline(__always)
private func matmulPanel(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                         _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, columns: Range<Int>) {
    typealias V = SIMD16<Float>
    let wRaw = UnsafeRawPointer(w), yRaw = UnsafeMutableRawPointer(y)
    let stride = n * 4
    var column = columns.lowerBound
    while column < columns.upperBound {
        let b0 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: column * 4, as: V.self) } ?? V()
        let b1 = bias.map { UnsafeRawPointer($0).loadUnaligned(fromByteOffset: column * 4 + 64, as: V.self) } ?? V()
        var row = 0
        while row + 4 <= m {
            var a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1
            let x0 = x + row * k, x1 = x0 + k, x2 = x1 + k, x3 = x2 + k
            var offset = column * 4
            for i in 0..<k {
                let w0 = wRaw.loadUnaligned(fromByteOffset: offset, as: V.self)
                let w1 = wRaw.loadUnaligned(fromByteOffset: offset + 64, as: V.self)
                offset += stride
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
            var offset = column * 4
            for i in 0..<k {
                let v = V(repeating: x0[i])
                a0.addProduct(v, wRaw.loadUnaligned(fromByteOffset: offset, as: V.self))
                a1.addProduct(v, wRaw.loadUnaligned(fromByteOffset: offset + 64, as: V.self))
                offset += stride
            }
            yRaw.storeBytes(of: a0, toByteOffset: row * stride + column * 4, as: V.self)
            yRaw.storeBytes(of: a1, toByteOffset: row * stride + column * 4 + 64, as: V.self)
            row += 1
        }
        column += 32
    }
}

/// The plain reference (and the tail of columns that is not a multiple of 32).
func matmulScalar(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>?,
                  _ y: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, columns: Range<Int>) {
    for row in 0..<m {
        for column in columns {
            var sum = bias?[column] ?? 0
            for i in 0..<k { sum += x[row * k + i] * w[i * n + column] }
            y[row * n + column] = sum
        }
    }
}

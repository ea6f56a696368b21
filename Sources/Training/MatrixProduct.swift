import Runtime

/// Blocked, register-tiled F32 matrix products on raw row-major pointers, the trainer's hot
/// loops. Two shapes cover every product of training without transposing a frozen weight:
///
/// - `rowsByRows` (C = A·Bᵀ, both operands' rows run along the summed dimension): the forward
///   products `x·Wᵀ` and the output head's logits. A 4 × 3 tile of C in eight-lane partial sums.
/// - `rowsByColumns` (C += A·B, B's rows run along C's columns): the input gradients `dy·W`,
///   the head's `dlogits·E` and the LoRA products. A 6 × 16 tile of C, one broadcast of A and one
///   16-lane load of B per term; A may be strided (a transposed view costs nothing).
///
/// Both split C's columns among `threads` workers of the runtime's pool (disjoint writes).
enum MatrixProduct {
    typealias Pointer = UnsafePointer<Float>
    typealias MutablePointer = UnsafeMutablePointer<Float>

    /// C[i, j] = Σ_k A[i, k]·B[j, k] (+ C[i, j] when `accumulate`); A is m × k (row stride `lda`),
    /// B is n × k (`ldb`), C is m × n (`ldc`).
    static func rowsByRows(m: Int, n: Int, k: Int, a: Pointer, lda: Int, b: Pointer, ldb: Int,
                           c: MutablePointer, ldc: Int, accumulate: Bool, threads: Int) {
        let box = SendableBox((a, b, c))
        // Blocks of A rows that stay in L2 while each worker streams its rows of B past them.
        let rowBlock = 64
        Parallel.chunks(n, threads: threads, granularity: 3) { columns in
            let (a, b, c) = box.value
            for i0 in stride(from: 0, to: m, by: rowBlock) {
                let i1 = min(m, i0 + rowBlock)
                var j = columns.lowerBound
                while j + 3 <= columns.upperBound {
                    var i = i0
                    while i + 4 <= i1 {
                        tile4x3(k, a + i * lda, lda, b + j * ldb, ldb, c + i * ldc + j, ldc, accumulate)
                        i += 4
                    }
                    while i < i1 {
                        for jj in j..<j + 3 { store(dot(a + i * lda, b + jj * ldb, k), c + i * ldc + jj, accumulate) }
                        i += 1
                    }
                    j += 3
                }
                for jj in j..<columns.upperBound {
                    for i in i0..<i1 { store(dot(a + i * lda, b + jj * ldb, k), c + i * ldc + jj, accumulate) }
                }
            }
        }
    }

    @inline(__always)
    static func store(_ value: Float, _ c: MutablePointer, _ accumulate: Bool) {
        c.pointee = accumulate ? c.pointee + value : value
    }

    @inline(__always)
    static func load8(_ p: Pointer) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

    /// Four rows of A against three rows of B over k, in twelve eight-lane partial sums.
    @inline(__always)
    static func tile4x3(_ k: Int, _ a: Pointer, _ lda: Int, _ b: Pointer, _ ldb: Int, _ c: MutablePointer, _ ldc: Int, _ accumulate: Bool) {
        var s00 = SIMD8<Float>(), s01 = SIMD8<Float>(), s02 = SIMD8<Float>()
        var s10 = SIMD8<Float>(), s11 = SIMD8<Float>(), s12 = SIMD8<Float>()
        var s20 = SIMD8<Float>(), s21 = SIMD8<Float>(), s22 = SIMD8<Float>()
        var s30 = SIMD8<Float>(), s31 = SIMD8<Float>(), s32 = SIMD8<Float>()
        let a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
        let b0 = b, b1 = b + ldb, b2 = b + 2 * ldb
        var p = 0
        while p + 8 <= k {
            let x0 = load8(a0 + p), x1 = load8(a1 + p), x2 = load8(a2 + p), x3 = load8(a3 + p)
            let w0 = load8(b0 + p)
            s00.addProduct(x0, w0); s10.addProduct(x1, w0); s20.addProduct(x2, w0); s30.addProduct(x3, w0)
            let w1 = load8(b1 + p)
            s01.addProduct(x0, w1); s11.addProduct(x1, w1); s21.addProduct(x2, w1); s31.addProduct(x3, w1)
            let w2 = load8(b2 + p)
            s02.addProduct(x0, w2); s12.addProduct(x1, w2); s22.addProduct(x2, w2); s32.addProduct(x3, w2)
            p += 8
        }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 12) { sums in
            sums[0] = s00.sum(); sums[1] = s01.sum(); sums[2] = s02.sum(); sums[3] = s10.sum()
            sums[4] = s11.sum(); sums[5] = s12.sum(); sums[6] = s20.sum(); sums[7] = s21.sum()
            sums[8] = s22.sum(); sums[9] = s30.sum(); sums[10] = s31.sum(); sums[11] = s32.sum()
            while p < k {
                for r in 0..<4 { for q in 0..<3 { sums[r * 3 + q] += a[r * lda + p] * b[q * ldb + p] } }
                p += 1
            }
            for r in 0..<4 { for q in 0..<3 { store(sums[r * 3 + q], c + r * ldc + q, accumulate) } }
        }
    }

    /// C[i, j] += Σ_p A(i, p)·B[p, j] with A(i, p) at `a[i·aRow + p·aColumn]`; B is k × n (`ldb`),
    /// C is m × n (`ldc`).
    static func rowsByColumns(m: Int, n: Int, k: Int, a: Pointer, aRow: Int, aColumn: Int, b: Pointer, ldb: Int,
                              c: MutablePointer, ldc: Int, threads: Int) {
        let box = SendableBox((a, b, c))
        // k in blocks whose 16-column panel of B (64 bytes a row) stays in L1 across A's rows.
        let depth = 256
        Parallel.chunks(n, threads: threads, granularity: 16) { columns in
            let (a, b, c) = box.value
            for p0 in stride(from: 0, to: k, by: depth) {
                let kc = min(depth, k - p0)
                let ap = a + p0 * aColumn, bp = b + p0 * ldb
                var j = columns.lowerBound
                while j + 16 <= columns.upperBound {
                    var i = 0
                    while i + 6 <= m {
                        tile6x16(kc, ap + i * aRow, aRow, aColumn, bp + j, ldb, c + i * ldc + j, ldc)
                        i += 6
                    }
                    while i < m {
                        tile1x16(kc, ap + i * aRow, aColumn, bp + j, ldb, c + i * ldc + j)
                        i += 1
                    }
                    j += 16
                }
                if j < columns.upperBound {
                    for i in 0..<m {
                        for jj in j..<columns.upperBound {
                            var sum: Float = 0
                            for p in 0..<kc { sum += ap[i * aRow + p * aColumn] * bp[p * ldb + jj] }
                            c[i * ldc + jj] += sum
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func load16(_ p: Pointer) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

    @inline(__always)
    static func add16(_ value: SIMD16<Float>, _ p: MutablePointer) {
        UnsafeMutableRawPointer(p).storeBytes(of: load16(p) + value, as: SIMD16<Float>.self)
    }

    /// Six rows of C, sixteen columns, over kc terms.
    @inline(__always)
    static func tile6x16(_ kc: Int, _ a: Pointer, _ aRow: Int, _ aColumn: Int, _ b: Pointer, _ ldb: Int, _ c: MutablePointer, _ ldc: Int) {
        var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>()
        var c3 = SIMD16<Float>(), c4 = SIMD16<Float>(), c5 = SIMD16<Float>()
        var pa = a, pb = b
        for _ in 0..<kc {
            let w = load16(pb)
            c0.addProduct(SIMD16(repeating: pa[0]), w)
            c1.addProduct(SIMD16(repeating: pa[aRow]), w)
            c2.addProduct(SIMD16(repeating: pa[2 * aRow]), w)
            c3.addProduct(SIMD16(repeating: pa[3 * aRow]), w)
            c4.addProduct(SIMD16(repeating: pa[4 * aRow]), w)
            c5.addProduct(SIMD16(repeating: pa[5 * aRow]), w)
            pa += aColumn
            pb += ldb
        }
        add16(c0, c); add16(c1, c + ldc); add16(c2, c + 2 * ldc)
        add16(c3, c + 3 * ldc); add16(c4, c + 4 * ldc); add16(c5, c + 5 * ldc)
    }

    @inline(__always)
    static func tile1x16(_ kc: Int, _ a: Pointer, _ aColumn: Int, _ b: Pointer, _ ldb: Int, _ c: MutablePointer) {
        var c0 = SIMD16<Float>()
        for p in 0..<kc { c0.addProduct(SIMD16(repeating: a[p * aColumn]), load16(b + p * ldb)) }
        add16(c0, c)
    }
}

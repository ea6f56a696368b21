import Testing
@testable import Training

/// The blocked products equal the plain triple loop, on shapes that leave every remainder path
/// (rows past the last full tile, columns past the last full panel, k past the last vector) and
/// on a transposed (strided) left operand, with one thread and with several.
@Suite struct MatrixProductTests {
    /// Small integers, so that every sum is exact in F32 whatever the order.
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7 + seed * 13) % 11) - 5 }
    }

    @Test(arguments: [(m: 9, n: 7, k: 19, threads: 1), (m: 4, n: 3, k: 8, threads: 2), (m: 70, n: 40, k: 33, threads: 3)])
    func rowsByRowsEqualsThePlainLoop(m: Int, n: Int, k: Int, threads: Int) {
        let a = Self.values(m * k, seed: 1), b = Self.values(n * k, seed: 2)
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += a[i * k + p] * b[j * k + p] } } }
        func product(accumulate: Bool, into initial: Float) -> [Float] {
            var c = [Float](repeating: initial, count: m * n)
            c.withUnsafeMutableBufferPointer { c in
                MatrixProduct.rowsByRows(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: c.baseAddress!, ldc: n,
                                         accumulate: accumulate, threads: threads)
            }
            return c
        }
        let overwritten = product(accumulate: false, into: 99), accumulated = product(accumulate: true, into: 1)
        #expect(overwritten == expected)
        #expect(accumulated == expected.map { $0 + 1 })
    }

    @Test(arguments: [(m: 13, n: 37, k: 300, threads: 1), (m: 6, n: 16, k: 5, threads: 2), (m: 8, n: 50, k: 9, threads: 3)])
    func rowsByColumnsAddsThePlainLoopWithATransposedLeftOperand(m: Int, n: Int, k: Int, threads: Int) {
        // A is stored k × m and read transposed (row stride 1, column stride m).
        let stored = Self.values(k * m, seed: 3), b = Self.values(k * n, seed: 4)
        var expected = [Float](repeating: 2, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { expected[i * n + j] += stored[p * m + i] * b[p * n + j] } } }
        var c = [Float](repeating: 2, count: m * n)
        c.withUnsafeMutableBufferPointer { c in
            MatrixProduct.rowsByColumns(m: m, n: n, k: k, a: stored, aRow: 1, aColumn: m, b: b, ldb: n,
                                        c: c.baseAddress!, ldc: n, threads: threads)
        }
        #expect(c == expected)
    }
}

import Foundation

/// A zeroed, owned float buffer: the trainer's activations, gradients and frozen weights.
///
/// `@unchecked Sendable`: the parallel loops write disjoint ranges of it, and nothing else
/// touches it while they run.
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { pointer.update(from: start, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    func zero() { pointer.update(repeating: 0, count: count) }
}

/// Runs `body(i)` for `i` in `0..<count` on up to `threads` threads (contiguous chunks).
func parallelFor(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let chunks = max(1, min(threads, count))
    if chunks == 1 {
        for i in 0..<count { body(i) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
        for i in start..<end { body(i) }
    }
}

/// Σ a[i]·b[i] over `n` values, in 16-lane partial sums.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= n {
        acc.addProduct(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self),
                       UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self))
        i += 16
    }
    var sum = acc.sum()
    while i < n { sum += a[i] * b[i]; i += 1 }
    return sum
}

/// y[i] += alpha·x[i] over `n` values.
@inline(__always)
func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    for i in 0..<n { y[i] += alpha * x[i] }
}

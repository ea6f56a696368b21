import Dispatch

/// Carries raw pointers into `DispatchQueue.concurrentPerform`, whose closure must be `@Sendable`.
///
/// `@unchecked Sendable` is safe here because every kernel that uses the box gives each worker a
/// disjoint range of the output to write, only reads shared inputs, and `concurrentPerform`
/// returns only after every worker has finished, so no pointer outlives the call.
package struct SendableBox<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

/// Splits work across cores with `concurrentPerform`, one chunk per worker.
package enum Parallel {
    /// Runs `body(range)` over `0..<count` split into at most `threads` contiguous chunks whose
    /// boundaries are multiples of `granularity`. Runs inline when one chunk suffices, so small
    /// operations pay no dispatch cost.
    /// `piecesPerThread` > 1 cuts the range into that many pieces per thread, claimed by whichever
    /// thread is free (long products: a thread the machine takes away for a moment no longer
    /// holds up the others).
    @inline(__always)
    package static func chunks(_ count: Int, threads: Int, granularity: Int = 1, piecesPerThread: Int = 1,
                               _ body: @Sendable (Range<Int>) -> Void) {
        split(count, threads: threads, granularity: granularity, pieces: threads * piecesPerThread) { _, range in body(range) }
    }

    /// As `chunks`, also passing the piece's index (`0..<pieces`, default `threads`) so it can
    /// use its own scratch: no two pieces with the same index run at once.
    @inline(__always)
    package static func workers(_ count: Int, threads: Int, granularity: Int = 1, pieces: Int? = nil, _ body: @Sendable (Int, Range<Int>) -> Void) {
        split(count, threads: threads, granularity: granularity, pieces: max(threads, pieces ?? threads), body)
    }

    /// `body(piece, range)` for at most `pieces` contiguous pieces of `0..<count`, on at most
    /// `threads` threads.
    @inline(__always)
    private static func split(_ count: Int, threads: Int, granularity: Int, pieces: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let units = (count + granularity - 1) / granularity
        let parts = max(1, min(pieces, units, 255))
        let workers = max(1, min(threads, parts))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let slice: @Sendable (Int) -> Void = { part in
            let start = units * part / parts * granularity
            let end = min(count, units * (part + 1) / parts * granularity)
            if start < end { body(part, start..<end) }
        }
        // The spinning pool when it is free; parked dispatch workers otherwise.
        if !WorkerPool.shared.run(workers: workers, parts: parts, slice) {
            DispatchQueue.concurrentPerform(iterations: parts, execute: slice)
        }
    }
}

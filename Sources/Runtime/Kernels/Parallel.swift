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
    @inline(__always)
    package static func chunks(_ count: Int, threads: Int, granularity: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        workers(count, threads: threads, granularity: granularity) { _, range in body(range) }
    }

    /// As `chunks`, also passing the worker's index (`0..<threads`) so it can use its own scratch.
    @inline(__always)
    package static func workers(_ count: Int, threads: Int, granularity: Int = 1, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let units = (count + granularity - 1) / granularity
        let workers = max(1, min(threads, units))
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let slice: @Sendable (Int) -> Void = { worker in
            let start = units * worker / workers * granularity
            let end = min(count, units * (worker + 1) / workers * granularity)
            if start < end { body(worker, start..<end) }
        }
        // The spinning pool when it is free; parked dispatch workers otherwise.
        if !WorkerPool.shared.run(workers: workers, slice) {
            DispatchQueue.concurrentPerform(iterations: workers, execute: slice)
        }
    }
}

import Dispatch

/// A raw pointer that may cross into `concurrentPerform`'s `@Sendable` closure.
/// @unchecked Sendable: every parallel caller writes disjoint ranges and reads shared inputs only.
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<T>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}

enum Parallel {
    /// Threads used by the embedding kernels; the machines this targets have 2 cores.
    nonisolated(unsafe) static var threads = 2

    /// Runs `body(part, partCount)` on `threads` workers (inline when there is one).
    static func run(_ body: @Sendable (Int, Int) -> Void) {
        let count = max(1, threads)
        if count == 1 { body(0, 1); return }
        DispatchQueue.concurrentPerform(iterations: count) { body($0, count) }
    }

    /// The `part`-th of `parts` even slices of `0..<total`, in units of `granule`.
    static func slice(_ total: Int, part: Int, parts: Int, granule: Int = 1) -> Range<Int> {
        let units = (total + granule - 1) / granule
        let lower = units * part / parts * granule
        let upper = min(total, units * (part + 1) / parts * granule)
        return min(lower, total)..<max(min(lower, total), upper)
    }
}

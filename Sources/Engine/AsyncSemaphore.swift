import Foundation
import Providers

/// A counting semaphore for tasks: bounds how many model calls (or `for_each` items) are in
/// flight without blocking threads of the cooperative pool.
final class AsyncSemaphore: @unchecked Sendable {
    // @unchecked Sendable: `available` and `waiters` are only touched under `lock`.
    private let lock = NSLock()
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        available = max(1, count)
    }

    /// Waits for a slot. Not cancellable: a cancelled caller takes its slot and releases it at once.
    func acquire() async {
        let ready: Bool = lock.withLock {
            if available > 0 {
                available -= 1
                return true
            }
            return false
        }
        if ready { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if available > 0 {
                    available -= 1
                    return true
                }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Frees a slot, handing it to the longest waiter.
    func release() {
        let next: CheckedContinuation<Void, Never>? = lock.withLock {
            if waiters.isEmpty {
                available += 1
                return nil
            }
            return waiters.removeFirst()
        }
        next?.resume()
    }

    /// Runs `body` holding a slot.
    func withSlot<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }
}

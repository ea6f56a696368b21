import Foundation
import Synchronization

/// Persistent worker threads that spin briefly for the next job before parking.
///
/// A decode step issues ~150 small parallel products; waking parked `concurrentPerform` workers
/// for each cost as much as the work saved, so two threads generated no faster than one. These
/// workers poll one atomic word for about 100 µs after each job (as llama.cpp's thread pool
/// does), so back-to-back products start at once, and park on a semaphore when idle.
///
/// `@unchecked Sendable`: `job` is written only by the submitter while it holds `submitLock`,
/// before the release-store of `state` that publishes it, and cleared only after every
/// participant has signalled completion through `pending`; workers read it only after an
/// acquire-load of a `state` that names them as participants.
final class WorkerPool: @unchecked Sendable {
    /// One pool per process, with a helper per extra core.
    static let shared = WorkerPool(helpers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// A helper's parking place.
    private final class Slot: @unchecked Sendable {
        // @unchecked: only atomics and a semaphore, both thread-safe.
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
    }

    let helpers: Int
    private let slots: [Slot]
    private let submitLock = NSLock()
    /// generation << 8 | participants (the caller counts as one).
    private let state = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private nonisolated(unsafe) var job: ((Int) -> Void)?

    init(helpers: Int) {
        self.helpers = min(helpers, 255)
        slots = (0..<self.helpers).map { _ in Slot() }
        for index in 0..<self.helpers {
            let thread = Thread { [self] in self.helperLoop(index) }
            thread.name = "baton-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(0)` on the caller and `body(1..<workers)` on helpers, returning when all are
    /// done. Returns false, running nothing, when the pool is busy (another model, or a nested
    /// call) or too small; the caller then uses another way.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        guard workers >= 2, workers - 1 <= helpers, submitLock.try() else { return false }
        defer { submitLock.unlock() }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            pending.store(workers - 1, ordering: .sequentiallyConsistent)
            let generation = (state.load(ordering: .relaxed) >> 8) + 1
            state.store(generation << 8 | workers, ordering: .sequentiallyConsistent)
            for slot in slots.prefix(workers - 1) where slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                slot.wake.signal()
            }
            escaping(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins & 1023 == 0 { sched_yield() }
            }
            job = nil
        }
        return true
    }

    private func helperLoop(_ index: Int) {
        let slot = slots[index]
        var seen = 0
        while true {
            var spins = 0
            var current = state.load(ordering: .acquiring)
            while current >> 8 == seen {
                spins += 1
                if spins > 200_000 {
                    // Park; the submitter wakes whoever it finds parked after publishing.
                    slot.sleeping.store(true, ordering: .sequentiallyConsistent)
                    if state.load(ordering: .sequentiallyConsistent) >> 8 == seen {
                        slot.wake.wait()
                    } else if !slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                        slot.wake.wait()  // the submitter took the flag: consume its signal
                    }
                    spins = 0
                }
                current = state.load(ordering: .acquiring)
            }
            seen = current >> 8
            if index + 1 < current & 0xFF {
                runJob(index + 1)
                pending.subtract(1, ordering: .releasing)
            }
        }
    }

    /// Calls the published job. A separate function so that this thread's reference to the
    /// closure is released before it reports completion: `withoutActuallyEscaping` in `run`
    /// traps if any reference outlives it.
    @inline(never)
    private func runJob(_ worker: Int) {
        job?(worker)
    }
}

import Foundation
import Synchronization

/// Persistent worker threads that spin briefly for the next job before parking.
///
/// A decode step issues ~150 small parallel products; waking parked `concurrentPerform` workers
/// for each cost as much as the work saved, so two threads generated no faster than one. These
/// workers poll one atomic word for about 100 µs after each job (as llama.cpp's thread pool
/// does), so back-to-back products start at once, and park on a semaphore when idle.
///
/// Each job's parts are claimed, not assigned: the caller and the helpers take part numbers from
/// one atomic counter until none is left. On a loaded machine a helper may not be running when a
/// job is published; the caller then runs that helper's part itself instead of spinning until the
/// helper gets a core back (12,675 `sched_yield` calls in one `baton prompt` before). Every part
/// still runs exactly once with its own index, so results are the same whoever runs it.
///
/// `@unchecked Sendable`: `job` is written only by the submitter while it holds `submitLock`,
/// before the store of `claims` that publishes it, and cleared only after every part has
/// signalled completion through `pending`; workers read it only after claiming a part of the
/// current generation, which cannot complete before they report it.
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
    /// generation << 8 | participants (the caller counts as one): what wakes the helpers.
    private let state = Atomic<Int>(0)
    /// generation << 16 | parts << 8 | next unclaimed part.
    private let claims = Atomic<Int>(0)
    /// Parts after the caller's not yet finished.
    private let pending = Atomic<Int>(0)
    private nonisolated(unsafe) var job: ((Int) -> Void)?

    /// `startingThreads: false` makes a pool whose helpers never run (tests: the caller then
    /// runs every part).
    init(helpers: Int, startingThreads: Bool = true) {
        // At most 254 helpers: a job's participant count (helpers + the caller) must fit the
        // 8-bit fields of `state` and `claims`; 256 would read as 0 and the caller would wait forever.
        self.helpers = min(helpers, 254)
        slots = (0..<self.helpers).map { _ in Slot() }
        for index in 0..<self.helpers where startingThreads {
            let thread = Thread { [self] in self.helperLoop(index) }
            thread.name = "baton-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(0..<parts)` (default: one part per worker) on the caller and `workers − 1`
    /// helpers, returning when all are done; part 0 is the caller's, the rest go to whoever
    /// claims them first, so with more parts than workers a helper that lost its core for a
    /// while leaves its share to the others instead of holding everyone up. Returns false,
    /// running nothing, when the pool is busy (another model, or a nested call) or too small;
    /// the caller then uses another way.
    func run(workers: Int, parts: Int? = nil, _ body: (Int) -> Void) -> Bool {
        let parts = parts ?? workers
        guard workers >= 2, workers - 1 <= helpers, parts >= workers, parts <= 255, submitLock.try() else { return false }
        defer { submitLock.unlock() }
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            pending.store(parts - 1, ordering: .sequentiallyConsistent)
            let generation = (state.load(ordering: .relaxed) >> 8) + 1
            // Part 0 is the caller's: published as already claimed.
            claims.store((generation & 0xFFFF_FFFF) << 16 | parts << 8 | 1, ordering: .sequentiallyConsistent)
            state.store(generation << 8 | workers, ordering: .sequentiallyConsistent)
            for slot in slots.prefix(workers - 1) where slot.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                slot.wake.signal()
            }
            escaping(0)
            // Run the parts no helper has started yet, then wait for those in progress.
            runClaimedParts(generation: generation)
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
            if index + 1 < current & 0xFF { runClaimedParts(generation: seen) }
        }
    }

    /// Claims and runs parts of `generation`'s job until none is left (or a newer job replaced it).
    private func runClaimedParts(generation: Int) {
        let tag = generation & 0xFFFF_FFFF
        var current = claims.load(ordering: .acquiring)
        while current >> 16 == tag, current & 0xFF < (current >> 8) & 0xFF {
            let (exchanged, original) = claims.compareExchange(
                expected: current, desired: current + 1, ordering: .sequentiallyConsistent)
            if exchanged {
                runJob(current & 0xFF)
                pending.subtract(1, ordering: .releasing)
                current += 1
            } else {
                current = original
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

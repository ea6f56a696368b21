import Dispatch
import Synchronization
import Testing
@testable import Runtime

/// The spinning pool behind `Parallel`: every slice runs exactly once per job, back-to-back jobs
/// (a decode step's ~150 products) never mix, the caller runs the slices no helper has taken,
/// and callers that find it busy fall back.
@Suite struct WorkerPoolTests {
    @Test func everyWorkerRunsOncePerJobOverManyJobs() {
        let pool = WorkerPool(helpers: 1)
        let counts = Mutex([Int](repeating: 0, count: 2))
        for _ in 0..<5_000 {
            let ran = pool.run(workers: 2) { worker in counts.withLock { $0[worker] += 1 } }
            #expect(ran)
        }
        #expect(counts.withLock { $0 } == [5_000, 5_000])
    }

    @Test func parallelChunksCoverTheRangeExactlyOnceFromConcurrentCallers() {
        // Several threads at once: one gets the shared pool, the others fall back to dispatch.
        let total = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<500 {
                let sum = Mutex(0)
                Parallel.chunks(1_000, threads: 2, granularity: 16) { range in
                    sum.withLock { $0 += range.reduce(0, +) }
                }
                total.withLock { $0 += sum.withLock { $0 } == 499_500 ? 1 : 0 }
            }
        }
        #expect(total.withLock { $0 } == 2_000)
    }

    @Test func theCallerRunsThePartsOfHelpersThatNeverGetACore() {
        // A loaded machine at its worst: the helpers never run, so the caller claims every part.
        let pool = WorkerPool(helpers: 3, startingThreads: false)
        let counts = Mutex([Int](repeating: 0, count: 4))
        for _ in 0..<100 {
            let ran = pool.run(workers: 4) { worker in counts.withLock { $0[worker] += 1 } }
            #expect(ran)
        }
        #expect(counts.withLock { $0 } == [100, 100, 100, 100])
    }

    @Test func morePartsThanWorkersRunOnceEachWhoeverClaimsThem() {
        // Long products cut into four pieces per thread: a thread that lost its core leaves its
        // pieces to the other. Every piece runs exactly once per job, in any thread.
        let pool = WorkerPool(helpers: 1)
        let counts = Mutex([Int](repeating: 0, count: 8))
        for _ in 0..<2_000 {
            #expect(pool.run(workers: 2, parts: 8) { part in counts.withLock { $0[part] += 1 } })
        }
        #expect(counts.withLock { $0 } == [Int](repeating: 2_000, count: 8))
        // The caller alone, when the helper never runs.
        let lonely = WorkerPool(helpers: 1, startingThreads: false)
        let alone = Mutex([Int](repeating: 0, count: 5))
        #expect(lonely.run(workers: 2, parts: 5) { part in alone.withLock { $0[part] += 1 } })
        #expect(alone.withLock { $0 } == [1, 1, 1, 1, 1])
        // Fewer parts than workers, or more than the 8-bit field holds, are refused.
        #expect(!pool.run(workers: 2, parts: 1) { _ in })
        #expect(!pool.run(workers: 2, parts: 256) { _ in })
    }

    @Test func theLargestPoolRunsEveryPartOnce() {
        // A job's participant count lives in 8-bit fields: 256 participants read as 0 and the
        // caller waited forever, so a pool keeps at most 254 helpers (255 participants).
        let pool = WorkerPool(helpers: 1_000, startingThreads: false)
        #expect(pool.helpers == 254)
        let counts = Mutex([Int](repeating: 0, count: 255))
        #expect(pool.run(workers: 255) { worker in counts.withLock { $0[worker] += 1 } })
        #expect(counts.withLock { $0 } == [Int](repeating: 1, count: 255))
        #expect(!pool.run(workers: 256) { _ in })
    }

    @Test func partsRunOnceEachWhenHelpersAndCallerRace() {
        let pool = WorkerPool(helpers: 3)
        let counts = Mutex([Int](repeating: 0, count: 4))
        for job in 0..<3_000 {
            let workers = 2 + job % 3
            #expect(pool.run(workers: workers) { worker in counts.withLock { $0[worker] += 1 } })
        }
        #expect(counts.withLock { $0 } == [3_000, 3_000, 2_000, 1_000])
    }

    @Test func aPoolTooSmallOrAskedForOneWorkerRunsNothing() {
        let pool = WorkerPool(helpers: 1)
        #expect(!pool.run(workers: 3) { _ in })
        #expect(!pool.run(workers: 1) { _ in })
    }
}

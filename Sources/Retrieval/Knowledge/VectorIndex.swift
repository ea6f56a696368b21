import Foundation
import Runtime

/// Every chunk vector of a knowledge base in one contiguous row-major `[count × dimension]` matrix,
/// searched exactly: one SIMD dot product per row (split between the threads), then a top-k selection.
///
/// The scan is memory-bound (100,000 × 384 floats are 154 MB per query), so large indexes also
/// keep a Float16 copy: the scan reads that (half the bytes, converted by F16C) to pick `k + 64`
/// candidates, whose scores are then recomputed from the Float32 rows. The half-precision scores
/// differ from the exact ones by about 1e-3, far less than the gap to the 64th extra candidate, so
/// the result equals the Float32 scan's; small indexes scan Float32 directly.
public struct VectorIndex: Sendable {
    public let dimension: Int
    /// Chunk id of each row.
    public private(set) var ids: [Int64] = []
    /// Document id of each row (for path filters).
    public private(set) var documents: [Int64] = []
    /// `[count × dimension]` unit vectors.
    public private(set) var matrix: [Float] = []
    /// The same in half precision, for the candidate scan of large indexes.
    private var half: [Float16] = []
    /// Row count above which the Float16 candidate scan is used.
    public var halfScanAbove = 20_000
    /// Worker threads of the scan.
    public var threads: Int

    /// `threads` defaults to every core.
    public init(dimension: Int, threads: Int? = nil) {
        self.dimension = dimension
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    public var count: Int { ids.count }

    public mutating func reserve(_ rows: Int) {
        ids.reserveCapacity(rows)
        documents.reserveCapacity(rows)
        matrix.reserveCapacity(rows * dimension)
        half.reserveCapacity(rows * dimension)
    }

    /// Appends a row from its little-endian float32 bytes (`dimension · 4` of them).
    public mutating func append(id: Int64, document: Int64, bytes: UnsafeRawBufferPointer) {
        guard bytes.count == dimension * 4 else { return }
        ids.append(id)
        documents.append(document)
        for j in 0..<dimension {
            let value = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: j * 4, as: UInt32.self)))
            matrix.append(value)
            half.append(Float16(value))
        }
    }

    public mutating func append(id: Int64, document: Int64, vector: [Float]) {
        guard vector.count == dimension else { return }
        ids.append(id)
        documents.append(document)
        matrix.append(contentsOf: vector)
        half.append(contentsOf: vector.map { Float16($0) })
    }

    /// The `k` rows most similar to `query` (dot product of unit vectors = cosine), best first,
    /// optionally only rows whose document passes `allowed`.
    public func search(_ query: [Float], k: Int, allowed: Set<Int64>? = nil) -> [(id: Int64, score: Float)] {
        guard query.count == dimension, count > 0, k > 0 else { return [] }
        let include = { (row: Int) in allowed?.contains(documents[row]) ?? true }
        guard count > halfScanAbove && dimension % 16 == 0 else {
            let scores = scan(query, half: false)
            return Self.top(scores, k: k, include: include).map { (ids[$0], scores[$0]) }
        }
        let rough = scan(query, half: true)
        let candidates = Self.top(rough, k: k + 64, include: include)
        var exact: [(row: Int, score: Float)] = []
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                guard let mb = m.baseAddress, let qb = q.baseAddress else { return }
                exact = candidates.map { ($0, GGMLRounding.dot(mb + $0 * dimension, qb, count: dimension)) }
            }
        }
        exact.sort { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }
        return exact.prefix(k).map { (ids[$0.row], $0.score) }
    }

    /// Every row's dot product with `query`, from the Float32 or the Float16 matrix.
    private func scan(_ query: [Float], half useHalf: Bool) -> [Float] {
        var scores = [Float](repeating: 0, count: count)
        let rows = count, d = dimension
        matrix.withUnsafeBufferPointer { m in
            half.withUnsafeBufferPointer { h in
                query.withUnsafeBufferPointer { q in
                    scores.withUnsafeMutableBufferPointer { s in
                        guard let mb = m.baseAddress, let hb = h.baseAddress, let qb = q.baseAddress, let sb = s.baseAddress else { return }
                        let box = SendableBox((mb, hb, qb, sb))
                        Parallel.chunks(rows, threads: threads, granularity: 64) { range in
                            let (m, h, q, s) = box.value
                            for row in range {
                                s[row] = useHalf ? dotHalf(h + row * d, q, count: d) : GGMLRounding.dot(m + row * d, q, count: d)
                            }
                        }
                    }
                }
            }
        }
        return scores
    }

    /// Indices of the `k` largest scores passing `include`, best first.
    static func top(_ scores: [Float], k: Int, include: (Int) -> Bool) -> [Int] {
        scores.withUnsafeBufferPointer { buffer in
            TopIndices.largest(buffer.count, limit: k, score: { buffer[$0] }, include: include)
        }
    }
}

/// Σ a[i]·b[i] for half-precision `a` (count a multiple of 16), converted 16 lanes at a time.
@inline(__always)
func dotHalf(_ a: UnsafePointer<Float16>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var accumulator = SIMD16<Float>()
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 16 <= count {
        accumulator.addProduct(SIMD16<Float>(ra.loadUnaligned(fromByteOffset: i * 2, as: SIMD16<Float16>.self)),
                               rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self))
        i += 16
    }
    return accumulator.sum()
}

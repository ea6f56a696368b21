/// Every chunk vector of a knowledge base in one contiguous row-major `[count × dimension]` matrix,
/// searched exactly: one SIMD dot product per row (split between the threads), then a top-k selection.
public struct VectorIndex: Sendable {
    public let dimension: Int
    /// Chunk id of each row.
    public private(set) var ids: [Int64] = []
    /// Document id of each row (for path filters).
    public private(set) var documents: [Int64] = []
    /// `[count × dimension]` unit vectors.
    public private(set) var matrix: [Float] = []

    public init(dimension: Int) { self.dimension = dimension }

    public var count: Int { ids.count }

    public mutating func reserve(_ rows: Int) {
        ids.reserveCapacity(rows)
        documents.reserveCapacity(rows)
        matrix.reserveCapacity(rows * dimension)
    }

    /// Appends a row from its little-endian float32 bytes (`dimension · 4` of them).
    public mutating func append(id: Int64, document: Int64, bytes: UnsafeRawBufferPointer) {
        guard bytes.count == dimension * 4 else { return }
        ids.append(id)
        documents.append(document)
        for j in 0..<dimension { matrix.append(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: j * 4, as: UInt32.self)))) }
    }

    public mutating func append(id: Int64, document: Int64, vector: [Float]) {
        guard vector.count == dimension else { return }
        ids.append(id)
        documents.append(document)
        matrix.append(contentsOf: vector)
    }

    /// The `k` rows most similar to `query` (dot product of unit vectors = cosine), best first,
    /// optionally only rows whose document passes `allowed`.
    public func search(_ query: [Float], k: Int, allowed: Set<Int64>? = nil) -> [(id: Int64, score: Float)] {
        guard query.count == dimension, count > 0, k > 0 else { return [] }
        var scores = [Float](repeating: 0, count: count)
        let rows = count, d = dimension
        matrix.withUnsafeBufferPointer { m in
            query.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { s in
                    guard let mb = m.baseAddress, let qb = q.baseAddress, let sb = s.baseAddress else { return }
                    let mp = SendablePointer(mb), qp = SendablePointer(qb), sp = SendablePointer(sb)
                    Parallel.run { part, parts in
                        for row in Parallel.slice(rows, part: part, parts: parts, granule: 64) {
                            sp.pointer[row] = dot(mp.pointer + row * d, qp.pointer, count: d)
                        }
                    }
                }
            }
        }
        return Self.top(scores, k: k) { allowed?.contains(documents[$0]) ?? true }.map { (ids[$0], scores[$0]) }
    }

    /// Indices of the `k` largest scores passing `include`, best first (a min-heap of size k).
    static func top(_ scores: [Float], k: Int, include: (Int) -> Bool) -> [Int] {
        var heap: [Int] = []   // min-heap by score
        heap.reserveCapacity(k + 1)
        func less(_ a: Int, _ b: Int) -> Bool { scores[a] < scores[b] || (scores[a] == scores[b] && a > b) }
        for index in scores.indices {
            if heap.count == k && !less(heap[0], index) { continue }
            guard include(index) else { continue }
            if heap.count < k {
                heap.append(index)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard less(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else {
                heap[0] = index
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var smallest = parent
                    if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
                    if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap.sorted { less($1, $0) }
    }
}

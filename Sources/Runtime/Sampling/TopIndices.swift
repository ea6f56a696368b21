/// The indices of the largest scores, in one pass with a bounded min-heap: O(n log k) instead of
/// sorting all n. The JSON token mask takes the best few hundred of 49,152 logits every token;
/// retrieval takes the best passages of an exact vector search over 100,000 rows.
public enum TopIndices {
    /// The indices in `0..<count` of the `limit` largest `score`s among those `include` accepts,
    /// largest first; equal scores keep the lower index first. `include` is asked only of indices
    /// whose score would enter the heap.
    @inlinable
    public static func largest(_ count: Int, limit: Int, score: (Int) -> Float, include: (Int) -> Bool = { _ in true }) -> [Int] {
        guard limit > 0 else { return [] }
        var heap: [Int] = []   // a min-heap: the root is the worst index kept
        heap.reserveCapacity(limit + 1)
        func worse(_ a: Int, _ b: Int) -> Bool {
            let sa = score(a), sb = score(b)
            return sa < sb || (sa == sb && a > b)
        }
        for index in 0..<count {
            if heap.count == limit && !worse(heap[0], index) { continue }
            guard include(index) else { continue }
            if heap.count < limit {
                heap.append(index)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard worse(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else {
                heap[0] = index
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var smallest = parent
                    if left < heap.count && worse(heap[left], heap[smallest]) { smallest = left }
                    if right < heap.count && worse(heap[right], heap[smallest]) { smallest = right }
                    if smallest == parent { break }
                    heap.swapAt(parent, smallest)
                    parent = smallest
                }
            }
        }
        return heap.sorted { worse($1, $0) }
    }
}

/// The inflater's growing output: raw memory so the hot loop writes without bounds checks or
/// copy-on-write tests. Never grows past `limit` bytes of content.
///
/// It either owns its memory (freed in `deinit`) or starts in memory the caller lent, the
/// uninitialised storage of the array that will hold the result, so a ZIP entry whose size is
/// known is inflated in place: no zero-filling and no copy (see `Inflate.inflateStream`).
final class OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Whether `base` was allocated here (after growing out of lent memory, or from the start).
    private(set) var ownsMemory: Bool
    var count = 0
    let limit: Int

    init(initialCapacity: Int, limit: Int) {
        self.limit = limit
        capacity = max(64, min(initialCapacity, limit) + 16)
        base = .allocate(capacity: capacity)
        ownsMemory = true
    }

    /// An output that writes into `lent` (at least 16 bytes) until it outgrows it.
    init(lent: UnsafeMutableBufferPointer<UInt8>, limit: Int) {
        self.limit = limit
        capacity = lent.count
        base = lent.baseAddress ?? .allocate(capacity: 0)
        ownsMemory = lent.baseAddress == nil
    }

    deinit { if ownsMemory { base.deallocate() } }

    /// Makes room for `bytes` more bytes, of which `exact` will be content (the rest is slack a
    /// wide copy may scribble on); throws when the content would pass the limit.
    func reserve(_ bytes: Int, exact: Int? = nil, at offset: Int) throws(InflateError) {
        let content = exact ?? bytes
        guard content <= limit - count else {
            throw InflateError(.outputLimit, at: offset, "the inflated data is larger than the \(limit)-byte limit")
        }
        let needed = count + bytes
        guard needed > capacity else { return }
        let grown = max(needed, min(capacity * 2, limit &+ 16))
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        newBase.update(from: base, count: count)
        if ownsMemory { base.deallocate() }
        base = newBase
        capacity = grown
        ownsMemory = true
    }

    /// The content as an array.
    func bytes() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

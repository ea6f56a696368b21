/// The inflater's growing output: raw memory so the hot loop writes without bounds checks or
/// copy-on-write tests, freed in `deinit`. Never grows past `limit` bytes of content.
final class OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0
    let limit: Int

    init(initialCapacity: Int, limit: Int) {
        self.limit = limit
        capacity = max(64, min(initialCapacity, limit) + 16)
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

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
        base.deallocate()
        base = newBase
        capacity = grown
    }

    /// The content as an array.
    func bytes() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

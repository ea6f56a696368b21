/// What a loaded model costs in memory.
public struct MemoryUsage: Sendable, Equatable {
    /// The memory-mapped model file (weights are read in place; pages load on first use).
    public var weightBytes: Int
    /// The key/value cache sized for the context (f32 keys and values of every layer).
    public var kvCacheBytes: Int
    /// Other buffers of the forward pass.
    public var scratchBytes: Int
    /// Weight bytes one generated token reads: every tensor once, except the token embedding,
    /// of which only one row is read unless it is also the output matrix (tied, as in Gemma 3,
    /// where it is most of the bytes). Generation speed × this is the bandwidth it draws.
    public var tokenReadBytes: Int = 0

    public var totalBytes: Int { weightBytes + kvCacheBytes + scratchBytes }
}

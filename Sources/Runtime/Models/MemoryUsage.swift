/// What a loaded model costs in memory.
public struct MemoryUsage: Sendable, Equatable {
    /// The memory-mapped model file (weights are read in place; pages load on first use).
    public var weightBytes: Int
    /// The key/value cache sized for the context (f32 keys and values of every layer).
    public var kvCacheBytes: Int
    /// Other buffers of the forward pass.
    public var scratchBytes: Int

    public var totalBytes: Int { weightBytes + kvCacheBytes + scratchBytes }
}

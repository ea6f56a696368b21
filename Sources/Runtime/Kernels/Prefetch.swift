#if arch(x86_64)
import Builtin
#endif

/// Software prefetch for the decode step's matrix-vector products.
///
/// A decode step reads every weight once, so it runs at the speed memory delivers, and the
/// hardware prefetchers alone kept too few cache lines in flight: Gemma 3's 178 MB output head
/// streamed at 8-9 GB/s where a plain read of memory reaches 21-24 GB/s on the same machine.
/// Asking for the rows a little ahead of the kernel (at least `distance` bytes, in whole groups
/// of rows), spread over the blocks of the rows being computed, brought it to 15-22 GB/s.
enum Prefetch {
    /// How far ahead of the rows being multiplied to fetch, at least.
    static let distance = 2048

    /// The offset of the rows to prefetch when groups of `span` bytes are processed in order:
    /// the smallest whole number of groups at least `distance` ahead.
    @inline(__always)
    static func ahead(span: Int) -> Int { (distance + span - 1) / max(span, 1) * span }

    /// Brings the line holding `address` towards L1 (`prefetcht0`). Never faults, so it may
    /// point past the end of a matrix.
    @inline(__always)
    static func line(_ address: UnsafeRawPointer) {
        #if arch(x86_64)
        Builtin.int_prefetch_RawPointer(address._rawValue, Int32(0)._value, Int32(3)._value, Int32(1)._value)
        #endif
    }

    /// The share of `lines` cache lines from `start` that block `b` of `blocks` prefetches, so
    /// that the requests spread evenly over a kernel's loop.
    @inline(__always)
    static func share(_ start: UnsafeRawPointer, lines: Int, block b: Int, of blocks: Int) {
        for l in (b * lines / blocks)..<((b + 1) * lines / blocks) { line(start + 64 * l) }
    }
}

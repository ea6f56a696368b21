/// The interleaved copy of a prompt batch's 8-bit activations that the eight-token kernels read
/// (`DotProduct.signed8`, `unsigned8`, `q4K8`, `q6K8`).
///
/// Those kernels meet one unpacked weight block with the same block of eight activation rows.
/// With the rows `columns` bytes apart, the eight addresses and the eight scales took more
/// registers than x86-64 has, and the compiled loop spilled and reloaded them on every block
/// (a C version of the same kernel ran about 10-20% faster with the rows interleaved). Here, for
/// each whole group of eight rows starting at row `8G`, with `n` columns:
/// - 32-value chunk `k` of row `8G + t` is at `batchQuants[8G·n + 256·k + 32·t]`;
/// - its scale is at `batchScales[8G·n/s + 8·k′ + t]`, where `s` is the format's block size and
///   `k′` the block (`k` for Q8_0/Q8_1, `k / 8` for Q8_K); Q8_1's block sums likewise in
///   `batchBlockSums`;
/// - Q8_K's sixteen group sums of block `b` are at `batchGroupSums[8G·n/16 + 16·(8·b + t)]`, as
///   16-bit integers, so that a block's scales or mins meet them in one `vpmaddwd`
///   (`ByteDot.pairSums`; the scalar products took a tenth of the K-quant kernels' time).
/// A group's data thus starts where row `8G`'s starts in the plain layout. Rows past the last
/// whole group are not copied (the kernels take those one at a time from the plain layout).
extension ActivationBuffer {
    /// Builds the interleaved copy of the first `rows / 8 · 8` rows, for the 8-bit formats.
    func interleaveGroups(rows: Int, threads: Int) {
        guard rows >= 8, format == .q8_0 || format == .q8_1 || format == .q8_K else { return }
        let box = SendableBox(self)
        Parallel.chunks(rows / 8, threads: rows * columns < 65_536 ? 1 : threads) { groups in
            box.value.interleave(groups)
        }
    }

    private func interleave(_ groups: Range<Int>) {
        let n = columns, chunks = n / 32, unit = format.blockSize, blocks = n / unit
        for g in groups {
            let first = 8 * g
            for t in 0..<8 {
                let row = first + t
                let source = UnsafeRawPointer(quants + row * n)
                let target = UnsafeMutableRawPointer(batchQuants + first * n + 32 * t)
                for k in 0..<chunks {
                    target.storeBytes(of: source.loadUnaligned(fromByteOffset: 32 * k, as: SIMD32<Int8>.self), toByteOffset: 256 * k, as: SIMD32<Int8>.self)
                }
                for b in 0..<blocks {
                    batchScales[first * blocks + 8 * b + t] = scales[row * blocks + b]
                }
                if format == .q8_1 {
                    for b in 0..<blocks { batchBlockSums[first * blocks + 8 * b + t] = blockSums[row * blocks + b] }
                }
                if format == .q8_K {
                    for b in 0..<blocks {
                        let target = UnsafeMutableRawPointer(batchGroupSums + first * n / 16 + 16 * (8 * b + t))
                        let source = UnsafeRawPointer(groupSums + row * n / 16 + 16 * b)
                        target.storeBytes(of: SIMD16<Int16>(truncatingIfNeeded: source.loadUnaligned(as: SIMD16<Int32>.self)), as: SIMD16<Int16>.self)
                    }
                }
            }
        }
    }
}

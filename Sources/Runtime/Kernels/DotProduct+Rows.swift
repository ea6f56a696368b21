/// Matrix-vector kernels for a decode step: four weight rows against one activation row.
///
/// A row's blocks form one chain of fused multiply-adds, each waiting for the one before (four
/// cycles), so a single row cannot go faster than that however quickly its bytes arrive; the
/// 262,144-row output head of Gemma 3 is such a chain per row. Four rows run four independent
/// chains and share each activation load. Every row keeps its own accumulator and order, so
/// each result equals `signed`/`unsigned` for that row bit for bit. Each call prefetches the
/// rows a little ahead of its own (`Prefetch`): decode steps are bound by memory.
extension DotProduct {
    /// `signed` for rows `w`, `w + rowBytes`, `w + 2·rowBytes`, `w + 3·rowBytes`.
    @inline(__always)
    static func signedRows4(_ w: UnsafeRawPointer, rowBytes: Int, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, blocks: Int,
                            blockBytes: Int, quants: (UnsafeRawPointer) -> SIMD32<Int8>) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        let y = UnsafeRawPointer(q)
        let span = 4 * rowBytes, lines = (span + 63) / 64, ahead = w + Prefetch.ahead(span: span)
        for b in 0..<blocks {
            Prefetch.share(ahead, lines: lines, block: b, of: blocks)
            let activations = y.loadUnaligned(fromByteOffset: 32 * b, as: SIMD32<Int8>.self)
            let scale = d[b], block = w + blockBytes * b
            @inline(__always) func add(_ acc: inout SIMD8<Float>, _ block: UnsafeRawPointer) {
                acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * scale), ByteDot.float(ByteDot.lanes(signed: quants(block), signed: activations)))
            }
            add(&a0, block); add(&a1, block + rowBytes); add(&a2, block + 2 * rowBytes); add(&a3, block + 3 * rowBytes)
        }
        return SIMD4<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3))
    }

    /// `unsigned` for rows `w`, `w + rowBytes`, `w + 2·rowBytes`, `w + 3·rowBytes`.
    @inline(__always)
    static func unsignedRows4(_ w: UnsafeRawPointer, rowBytes: Int, _ q: UnsafePointer<Int8>, _ d: UnsafePointer<Float>, _ s8: UnsafePointer<Float>,
                              blocks: Int, blockBytes: Int, quants: (UnsafeRawPointer) -> SIMD32<UInt8>) -> SIMD4<Float> {
        var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
        var summs = SIMD4<Float>()
        let y = UnsafeRawPointer(q)
        let span = 4 * rowBytes, lines = (span + 63) / 64, ahead = w + Prefetch.ahead(span: span)
        for b in 0..<blocks {
            Prefetch.share(ahead, lines: lines, block: b, of: blocks)
            let activations = y + 32 * b
            let scale = d[b], block = w + blockBytes * b
            let b1 = block + rowBytes, b2 = block + 2 * rowBytes, b3 = block + 3 * rowBytes
            summs = summs.addingProduct(SIMD4<Float>(half(block, 2), half(b1, 2), half(b2, 2), half(b3, 2)), SIMD4<Float>(repeating: s8[b]))
            @inline(__always) func add(_ acc: inout SIMD8<Float>, _ block: UnsafeRawPointer) {
                acc.addProduct(SIMD8<Float>(repeating: half(block, 0) * scale), laneSums(quants(block), activations))
            }
            add(&a0, block); add(&a1, b1); add(&a2, b2); add(&a3, b3)
        }
        return SIMD4<Float>(sum8(a0), sum8(a1), sum8(a2), sum8(a3)) + summs
    }
}

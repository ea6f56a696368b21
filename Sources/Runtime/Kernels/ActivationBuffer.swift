#if arch(x86_64)
import Builtin
#endif

/// The right-hand side of a matrix product converted the way llama.cpp's CPU backend converts it
/// for each weight format: f16 or bf16 values, or 8-bit integers with per-block scales (Q8_0 and
/// Q8_1 blocks of 32, Q8_K blocks of 256 with sums of 16). Converting identically keeps Baton's
/// rounding equal to llama.cpp's, which the logit comparisons rely on.
///
/// Allocated once with the largest shape it will hold; `convert` reuses the memory, so the token
/// loop allocates nothing. A final class because it owns raw memory (freed in `deinit`); it is
/// not shared between threads except inside one kernel call, where workers only read it.
final class ActivationBuffer: @unchecked Sendable {
    /// The most values (rows × columns) the buffer holds.
    let capacity: Int
    /// The format of the current contents.
    private(set) var format: ActivationFormat = .f32
    /// Columns per row of the current contents.
    private(set) var columns = 0
    /// Rows of the current contents.
    private(set) var rows = 0
    /// A copy of the values for `.f32`, `rows × columns`.
    let floats: UnsafeMutablePointer<Float>
    /// f16 or bf16 bit patterns, `rows × columns`.
    let halves: UnsafeMutablePointer<UInt16>
    /// 8-bit quants, `rows × columns`.
    let quants: UnsafeMutablePointer<Int8>
    /// Block scales: `rows × columns/32` (Q8_0/Q8_1, f16-rounded) or `rows × columns/256` (Q8_K).
    let scales: UnsafeMutablePointer<Float>
    /// Q8_1: f16(d·Σq) per block of 32.
    let blockSums: UnsafeMutablePointer<Float>
    /// Q8_K: Σq per group of 16, `rows × columns/16`.
    let groupSums: UnsafeMutablePointer<Int32>
    /// The 8-bit formats again for whole groups of eight rows, interleaved for the prompt
    /// kernels (see `ActivationBuffer+Batch.swift`): quants, scales, Q8_1 block sums, Q8_K
    /// group sums (as 16-bit integers: a sum of sixteen quants is at most 2,032 in magnitude).
    let batchQuants: UnsafeMutablePointer<Int8>
    let batchScales: UnsafeMutablePointer<Float>
    let batchBlockSums: UnsafeMutablePointer<Float>
    let batchGroupSums: UnsafeMutablePointer<Int16>

    init(capacity: Int) {
        self.capacity = capacity
        floats = .allocate(capacity: capacity)
        halves = .allocate(capacity: capacity)
        quants = .allocate(capacity: capacity)
        scales = .allocate(capacity: capacity / 32 + 1)
        blockSums = .allocate(capacity: capacity / 32 + 1)
        groupSums = .allocate(capacity: capacity / 16 + 1)
        batchQuants = .allocate(capacity: capacity)
        batchScales = .allocate(capacity: capacity / 32 + 1)
        batchBlockSums = .allocate(capacity: capacity / 32 + 1)
        batchGroupSums = .allocate(capacity: capacity / 16 + 1)
    }

    deinit {
        floats.deallocate(); halves.deallocate(); quants.deallocate(); scales.deallocate(); blockSums.deallocate(); groupSums.deallocate()
        batchQuants.deallocate(); batchScales.deallocate(); batchBlockSums.deallocate(); batchGroupSums.deallocate()
    }

    /// Converts `rows × columns` floats at `source` to `format`, a prompt's rows split between
    /// `threads` workers (the conversion was a serial stretch of every product before).
    func convert(_ source: UnsafePointer<Float>, rows: Int, columns: Int, to format: ActivationFormat, threads: Int = 1) {
        // The model sizes the buffer for its widest row times its batch, so `count` never exceeds
        // the capacity; the clamp keeps even a wrong caller inside the allocation.
        let count = min(rows * columns, capacity)
        self.format = format
        self.rows = rows
        self.columns = columns
        let unit = format.blockSize
        let box = SendableBox((self, source))
        // Whole blocks per worker; small conversions stay on the caller.
        Parallel.chunks(count / unit, threads: count < 65_536 ? 1 : threads) { blocks in
            let (buffer, source) = box.value
            buffer.convertBlocks(source, blocks, format: format)
        }
        interleaveGroups(rows: count / max(columns, 1), threads: threads)
    }

    /// Converts blocks `blocks` (of `format.blockSize` values) of `source`.
    private func convertBlocks(_ source: UnsafePointer<Float>, _ blocks: Range<Int>, format: ActivationFormat) {
        switch format {
        case .f32:
            (floats + blocks.lowerBound).update(from: source + blocks.lowerBound, count: blocks.count)
        case .f16:
            for i in blocks { halves[i] = HalfFloat.half(source[i]) }
        case .bf16:
            for i in blocks { halves[i] = HalfFloat.bfloat(source[i]) }
        case .q8_0, .q8_1:
            for block in blocks { quantizeQ8(source + 32 * block, block, withSum: format == .q8_1) }
        case .q8_K:
            for block in blocks { quantizeQ8K(source + 256 * block, block) }
        }
    }

    /// ggml's `quantize_row_q8_0`/`q8_1` (AVX path): d = amax/127 stored as f16, quants are
    /// x·127/amax rounded to nearest even.
    ///
    /// A block holding NaN or an infinity (a corrupt weight upstream) gets a NaN scale and zero
    /// quants, so the product it enters is NaN and the model's per-layer check reports it; no
    /// float-to-integer conversion here can trap (`Quantized.int8`).
    @inline(__always)
    private func quantizeQ8(_ x: UnsafePointer<Float>, _ block: Int, withSum: Bool) {
        // |x| compared as bit patterns: the same order as the floats for finite values, an
        // integer maximum the compiler vectorizes, and above 0x7F80_0000 only for NaN or ±∞.
        var bits: UInt32 = 0
        for j in 0..<32 { bits = max(bits, x[j].bitPattern & 0x7FFF_FFFF) }
        let q = quants + 32 * block
        guard bits < 0x7F80_0000 else {
            for j in 0..<32 { q[j] = 0 }
            scales[block] = .nan
            if withSum { blockSums[block] = .nan }
            return
        }
        let amax = Float(bitPattern: bits)
        let d = amax / 127
        let inverse: Float = amax != 0 ? 127 / amax : 0
        if inverse.isFinite {
            // Eight at a time; the same products and roundings as the scalar loop below.
            var sums = SIMD8<Int32>()
            let raw = UnsafeRawPointer(x)
            for k in 0..<4 {
                let v = Quantized.int32(raw.loadUnaligned(fromByteOffset: 32 * k, as: SIMD8<Float>.self) * inverse)
                UnsafeMutableRawPointer(q).storeBytes(of: Quantized.bytes(v), toByteOffset: 8 * k, as: SIMD8<Int8>.self)
                sums &+= v
            }
            scales[block] = HalfFloat.roundedToHalf(d)
            if withSum { blockSums[block] = HalfFloat.roundedToHalf(d * Float(sums.wrappedSum())) }
            return
        }
        var sum: Int32 = 0
        for j in 0..<32 {
            let v = Quantized.int8((x[j] * inverse).rounded(.toNearestOrEven))
            q[j] = v
            sum &+= Int32(v)
        }
        scales[block] = HalfFloat.roundedToHalf(d)
        if withSum { blockSums[block] = HalfFloat.roundedToHalf(d * Float(sum)) }
    }

    /// ggml's `quantize_row_q8_K`: the signed value of largest magnitude maps to -127, d = 1/iscale
    /// kept as f32, plus the sum of each group of 16 quants. Non-finite blocks as in `quantizeQ8`.
    @inline(__always)
    private func quantizeQ8K(_ x: UnsafePointer<Float>, _ block: Int) {
        // The largest |x| as bit patterns (vectorized; the order of finite floats), then the
        // first value that has it: ggml keeps the first of equal magnitudes.
        let raw = UnsafeRawPointer(x)
        var widest = SIMD8<UInt32>()
        for k in 0..<32 { widest = pointwiseMax(widest, raw.loadUnaligned(fromByteOffset: 32 * k, as: SIMD8<UInt32>.self) & 0x7FFF_FFFF) }
        let bits = widest.max()
        var maxValue: Float = 0
        for j in 0..<256 where x[j].bitPattern & 0x7FFF_FFFF == bits { maxValue = x[j]; break }
        let amax = Float(bitPattern: bits)
        let q = quants + 256 * block
        let finite = bits < 0x7F80_0000
        if !finite || amax == 0 {
            // Zero, or non-finite (NaN scale: see `quantizeQ8`).
            scales[block] = finite ? 0 : .nan
            for j in 0..<256 { q[j] = 0 }
            for g in 0..<16 { groupSums[16 * block + g] = 0 }
            return
        }
        let iscale = -127 / maxValue
        if iscale.isFinite {
            for g in 0..<16 {
                let low = Quantized.int32(raw.loadUnaligned(fromByteOffset: 64 * g, as: SIMD8<Float>.self) * iscale)
                let high = Quantized.int32(raw.loadUnaligned(fromByteOffset: 64 * g + 32, as: SIMD8<Float>.self) * iscale)
                UnsafeMutableRawPointer(q).storeBytes(of: Quantized.bytes(low), toByteOffset: 16 * g, as: SIMD8<Int8>.self)
                UnsafeMutableRawPointer(q).storeBytes(of: Quantized.bytes(high), toByteOffset: 16 * g + 8, as: SIMD8<Int8>.self)
                groupSums[16 * block + g] = (low &+ high).wrappedSum()
            }
            scales[block] = 1 / iscale
            return
        }
        for j in 0..<256 {
            q[j] = Quantized.int8((iscale * x[j]).rounded(.toNearestOrEven))
        }
        for g in 0..<16 {
            var sum: Int32 = 0
            for j in 0..<16 { sum &+= Int32(q[16 * g + j]) }
            groupSums[16 * block + g] = sum
        }
        scales[block] = 1 / iscale
    }
}

/// Float-to-integer conversions for quantization that cannot trap.
enum Quantized {
    /// Eight products rounded to the nearest integer, ties to even (`vroundps` then
    /// `vcvttps2dq`, exact on integral values). Only for values within ±127.5: the callers
    /// take this path when the scale is finite, which bounds them so.
    @inline(__always)
    static func int32(_ value: SIMD8<Float>) -> SIMD8<Int32> {
        let rounded = value.rounded(.toNearestOrEven)
        #if arch(x86_64)
        var result = SIMD8<Int32>()
        result._storage._value = Builtin.fptosi_Vec8xFPIEEE32_Vec8xInt32(rounded._storage._value)
        return result
        #else
        var result = SIMD8<Int32>()
        for i in 0..<8 { result[i] = Int32(rounded[i]) }
        return result
        #endif
    }

    /// The low bytes of eight 32-bit integers (each within −128...127).
    @inline(__always)
    static func bytes(_ value: SIMD8<Int32>) -> SIMD8<Int8> {
        #if arch(x86_64)
        var result = SIMD8<Int8>()
        result._storage._value = Builtin.trunc_Vec8xInt32_Vec8xInt8(value._storage._value)
        return result
        #else
        var result = SIMD8<Int8>()
        for i in 0..<8 { result[i] = Int8(truncatingIfNeeded: value[i]) }
        return result
        #endif
    }

    /// `value` (already rounded) as an 8-bit quant, clamped to −128...127; NaN gives 0. Swift's
    /// `Int8(_:)` traps outside the range, which a denormal block maximum (127/amax = ∞) or a
    /// NaN would reach; within the range the result is the same.
    @inline(__always)
    static func int8(_ value: Float) -> Int8 {
        if value >= -128, value <= 127 { return Int8(value) }
        return value > 0 ? 127 : (value < 0 ? -128 : 0)
    }
}

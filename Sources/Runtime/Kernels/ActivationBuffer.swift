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

    init(capacity: Int) {
        self.capacity = capacity
        floats = .allocate(capacity: capacity)
        halves = .allocate(capacity: capacity)
        quants = .allocate(capacity: capacity)
        scales = .allocate(capacity: capacity / 32 + 1)
        blockSums = .allocate(capacity: capacity / 32 + 1)
        groupSums = .allocate(capacity: capacity / 16 + 1)
    }

    deinit {
        floats.deallocate(); halves.deallocate(); quants.deallocate(); scales.deallocate(); blockSums.deallocate(); groupSums.deallocate()
    }

    /// Converts `rows × columns` floats at `source` to `format`.
    func convert(_ source: UnsafePointer<Float>, rows: Int, columns: Int, to format: ActivationFormat) {
        // The model sizes the buffer for its widest row times its batch, so `count` never exceeds
        // the capacity; the clamp keeps even a wrong caller inside the allocation.
        let count = min(rows * columns, capacity)
        self.format = format
        self.rows = rows
        self.columns = columns
        switch format {
        case .f32:
            floats.update(from: source, count: count)
        case .f16:
            for i in 0..<count { halves[i] = HalfFloat.half(source[i]) }
        case .bf16:
            for i in 0..<count { halves[i] = HalfFloat.bfloat(source[i]) }
        case .q8_0, .q8_1:
            for block in 0..<count / 32 { quantizeQ8(source + 32 * block, block, withSum: format == .q8_1) }
        case .q8_K:
            for block in 0..<count / 256 { quantizeQ8K(source + 256 * block, block) }
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
        var amax: Float = 0, maxValue: Float = 0
        var bits: UInt32 = 0
        for j in 0..<256 {
            let ax = abs(x[j])
            if ax > amax { amax = ax; maxValue = x[j] }
            bits = max(bits, x[j].bitPattern & 0x7FFF_FFFF)
        }
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
    /// `value` (already rounded) as an 8-bit quant, clamped to −128...127; NaN gives 0. Swift's
    /// `Int8(_:)` traps outside the range, which a denormal block maximum (127/amax = ∞) or a
    /// NaN would reach; within the range the result is the same.
    @inline(__always)
    static func int8(_ value: Float) -> Int8 {
        if value >= -128, value <= 127 { return Int8(value) }
        return value > 0 ? 127 : (value < 0 ? -128 : 0)
    }
}

/// A weight matrix as stored in a GGUF file: `rows` rows of `columns` values in `format`
/// (ggml's `ne0 = columns`, `ne1 = rows`), read in place from the memory map.
///
/// `@unchecked Sendable`: the pointer is into a read-only memory map that the owning model keeps
/// alive for as long as it holds any `WeightMatrix`; nothing ever writes through it.
struct WeightMatrix: @unchecked Sendable {
    let format: WeightFormat
    let rows: Int
    let columns: Int
    let data: UnsafeRawPointer

    /// Bytes per row.
    var rowBytes: Int { format.rowBytes(columns) }

    /// The start of row `index`.
    @inline(__always)
    func row(_ index: Int) -> UnsafeRawPointer { data + index * rowBytes }

    /// Writes row `index` as floats to `destination` (`columns` values), e.g. an embedding lookup.
    func dequantizeRow(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        Dequantize.row(format, row(index), destination, count: columns)
    }

    /// Whether llama.cpp rounds this format's products with eight or more activation rows by its
    /// tiled kernel rather than `ggml_vec_dot` (`DotProduct.tiledTerm`). Q4_K and Q2_K also have
    /// tiled kernels, but llama.cpp's AVX2/AVX-512 builds repack those matrices (rows a multiple
    /// of 8) into interleaved layouts with their own order, which Baton does not reproduce.
    var roundsTiledInBatches: Bool { format == .q3_K || format == .q5_K || format == .q6_K }

    /// The dot product of row `index` with row `token` of `input`, which must hold this format's
    /// activation conversion (`format.activationFormat`) of `columns`-wide rows; `tiled` rounds
    /// as llama.cpp's tiled batch kernel (`roundsTiledInBatches` formats only).
    @inline(__always)
    func dot(row index: Int, _ input: ActivationBuffer, token: Int, tiled: Bool = false) -> Float {
        let w = row(index)
        let n = columns
        switch format {
        case .f32: return DotProduct.f32(w, input.floats + token * n, count: n)
        case .f16: return DotProduct.f16(w, input.halves + token * n, count: n)
        case .bf16: return DotProduct.bf16(w, input.halves + token * n, count: n)
        case .q8_0: return DotProduct.q8_0(w, input.quants + token * n, input.scales + token * n / 32, blocks: n / 32)
        case .q4_0: return DotProduct.q4_0(w, input.quants + token * n, input.scales + token * n / 32, blocks: n / 32)
        case .q5_0: return DotProduct.q5_0(w, input.quants + token * n, input.scales + token * n / 32, blocks: n / 32)
        case .q5_1: return DotProduct.q5_1(w, input.quants + token * n, input.scales + token * n / 32, input.blockSums + token * n / 32, blocks: n / 32)
        case .q4_1: return DotProduct.q4_1(w, input.quants + token * n, input.scales + token * n / 32, input.blockSums + token * n / 32, blocks: n / 32)
        case .iq4_nl: return DotProduct.iq4NL(w, input.quants + token * n, input.scales + token * n / 32, blocks: n / 32)
        case .q2_K: return DotProduct.q2K(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, blocks: n / 256)
        case .q3_K: return DotProduct.q3K(w, input.quants + token * n, input.scales + token * n / 256, blocks: n / 256, tiled: tiled)
        case .q4_K: return DotProduct.q4K(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, blocks: n / 256)
        case .q5_K: return DotProduct.q5K(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, blocks: n / 256, tiled: tiled)
        case .q6_K: return DotProduct.q6K(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, blocks: n / 256, tiled: tiled)
        }
    }

    /// Whether `dot4` has a four-token kernel for this format (one that unpacks each weight
    /// block once for four activation rows).
    var hasFourTokenKernel: Bool {
        switch format {
        case .q8_0, .q4_0, .q5_0, .q4_1, .q5_1, .q4_K, .q5_K, .q6_K: true
        default: false
        }
    }

    /// Whether `MatrixProduct` multiplies prompt batches of this format by unpacked rows and
    /// eight tokens at a time (`DotProduct.signed8`, `unsigned8`, `q4K8`, `q6K8`).
    var hasBatchKernel: Bool {
        switch format {
        case .q8_0, .q4_0, .q5_0, .q4_1, .q5_1, .q4_K, .q6_K: true
        default: false
        }
    }

    /// Whether `dotRows4` has a four-row kernel for this format (`DotProduct.signedRows4`).
    var hasFourRowKernel: Bool {
        switch format {
        case .q8_0, .q4_0, .q5_0, .q4_1, .q5_1: true
        default: false
        }
    }

    /// `dot` of rows `index..<index + 4` with row 0 of `input` (a decode step's matrix-vector
    /// product), each bit-identical to `dot`.
    @inline(__always)
    func dotRows4(row index: Int, _ input: ActivationBuffer) -> SIMD4<Float> {
        let w = row(index), n = columns, stride = rowBytes
        @inline(__always) func signed(_ quants: (UnsafeRawPointer) -> SIMD32<Int8>) -> SIMD4<Float> {
            DotProduct.signedRows4(w, rowBytes: stride, input.quants, input.scales, blocks: n / 32, blockBytes: format.blockBytes, quants: quants)
        }
        @inline(__always) func unsigned(_ quants: (UnsafeRawPointer) -> SIMD32<UInt8>) -> SIMD4<Float> {
            DotProduct.unsignedRows4(w, rowBytes: stride, input.quants, input.scales, input.blockSums, blocks: n / 32,
                                     blockBytes: format.blockBytes, quants: quants)
        }
        switch format {
        case .q8_0: return signed(DotProduct.q8_0Quants)
        case .q4_0: return signed(DotProduct.q4_0Quants)
        case .q5_0: return signed(DotProduct.q5_0Quants)
        case .q4_1: return unsigned(DotProduct.q4_1Quants)
        case .q5_1: return unsigned(DotProduct.q5_1Quants)
        default:
            return SIMD4(dot(row: index, input, token: 0), dot(row: index + 1, input, token: 0),
                         dot(row: index + 2, input, token: 0), dot(row: index + 3, input, token: 0))
        }
    }

    /// `dot` of row `index` with rows `token..<token + 4` of `input`, each bit-identical to `dot`.
    @inline(__always)
    func dot4(row index: Int, _ input: ActivationBuffer, token: Int, tiled: Bool = false) -> SIMD4<Float> {
        let w = row(index)
        let n = columns
        // Each case names its unpacking function directly, so the kernel is inlined with it.
        @inline(__always) func signed(_ quants: (UnsafeRawPointer) -> SIMD32<Int8>) -> SIMD4<Float> {
            DotProduct.signed4(w, input.quants + token * n, input.scales + token * n / 32, stride: n, blocks: n / 32,
                               blockBytes: format.blockBytes, quants: quants)
        }
        @inline(__always) func unsigned(_ quants: (UnsafeRawPointer) -> SIMD32<UInt8>) -> SIMD4<Float> {
            DotProduct.unsigned4(w, input.quants + token * n, input.scales + token * n / 32, input.blockSums + token * n / 32,
                                 stride: n, blocks: n / 32, blockBytes: format.blockBytes, quants: quants)
        }
        switch format {
        case .q8_0: return signed(DotProduct.q8_0Quants)
        case .q4_0: return signed(DotProduct.q4_0Quants)
        case .q5_0: return signed(DotProduct.q5_0Quants)
        case .q4_1: return unsigned(DotProduct.q4_1Quants)
        case .q5_1: return unsigned(DotProduct.q5_1Quants)
        case .q4_K: return DotProduct.q4Kx4(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, stride: n, blocks: n / 256)
        case .q5_K: return DotProduct.q5Kx4(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, stride: n, blocks: n / 256, tiled: tiled)
        case .q6_K: return DotProduct.q6Kx4(w, input.quants + token * n, input.scales + token * n / 256, input.groupSums + token * n / 16, stride: n, blocks: n / 256, tiled: tiled)
        default:
            return SIMD4(dot(row: index, input, token: token, tiled: tiled), dot(row: index, input, token: token + 1, tiled: tiled),
                         dot(row: index, input, token: token + 2, tiled: tiled), dot(row: index, input, token: token + 3, tiled: tiled))
        }
    }
}

/// The storage formats of weight matrices the kernels understand, with ggml's exact block layouts.
///
/// Each row of a matrix is a whole number of blocks; a block of `blockSize` values takes
/// `blockBytes` bytes. Layouts (little-endian, as in ggml-common.h):
/// - `q8_0`: f16 d, int8 qs[32] (x = d·q)
/// - `q4_0`: f16 d, u8 qs[16] (x = d·(nibble − 8); low nibbles are values 0-15, high 16-31)
/// - `q4_1`: f16 d, f16 m, u8 qs[16] (x = d·nibble + m)
/// - `q5_0`: f16 d, u32 qh, u8 qs[16] (x = d·((nibble | bit j of qh << 4) − 16))
/// - `q5_1`: f16 d, f16 m, u32 qh, u8 qs[16] (x = d·(nibble | bit j of qh << 4) + m)
/// - `iq4_nl`: f16 d, u8 qs[16] (x = d·kvalues[nibble], a fixed non-linear table of 16 int8)
/// - `q2_K`: u8 scales[16] (4-bit scale | 4-bit min << 4 per 16 values), u8 qs[64], f16 d, f16 dmin
///   (x = d·scale·q − dmin·min, q the 2-bit quant)
/// - `q3_K`: u8 hmask[32], u8 qs[64], u8 scales[12] (sixteen 6-bit scales, stored + 32), f16 d
///   (x = d·(scale − 32)·(q − 4·!hbit), q the low 2 bits)
/// - `q4_K`: f16 d, f16 dmin, u8 scales[12] (eight 6-bit scales and mins), u8 qs[128]
/// - `q5_K`: f16 d, f16 dmin, u8 scales[12] (as `q4_K`), u8 qh[32], u8 qs[128]
///   (x = d·scale·(nibble | hbit << 4) − dmin·min)
/// - `q6_K`: u8 ql[128], u8 qh[64], int8 scales[16], f16 d
enum WeightFormat: Sendable, Equatable, CaseIterable {
    case f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q5_1, iq4_nl, q2_K, q3_K, q4_K, q5_K, q6_K

    /// Values per block.
    var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .iq4_nl: 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: 256
        }
    }

    /// Bytes per block.
    var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q8_0: 34
        case .q4_0: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .iq4_nl: 18
        case .q2_K: 84
        case .q3_K: 110
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }

    /// Bytes in a row of `count` values (`count` must be a multiple of `blockSize`).
    func rowBytes(_ count: Int) -> Int { count / blockSize * blockBytes }

    /// How llama.cpp's CPU backend converts the activations before a dot product with this
    /// format; Baton converts the same way so that both engines round identically.
    var activationFormat: ActivationFormat {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .q8_0, .q4_0, .q5_0, .iq4_nl: .q8_0
        case .q4_1, .q5_1: .q8_1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: .q8_K
        }
    }
}

/// The representation of the right-hand side of a matrix product (see `ActivationBuffer`).
enum ActivationFormat: Sendable, Equatable {
    case f32, f16, bf16, q8_0, q8_1, q8_K

    /// Values converted together (one scale for the 8-bit formats).
    var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q8_0, .q8_1: 32
        case .q8_K: 256
        }
    }
}

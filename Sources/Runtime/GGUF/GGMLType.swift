/// The tensor element types the runtime can compute with, with ggml's ids, block sizes and
/// bytes per block (ggml.c `type_traits`).
///
/// Quantized types store `blockSize` elements in `typeSize` bytes; a row's element count must be
/// a multiple of the block size.
public enum GGMLType: UInt32, Sendable, CaseIterable {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, iq4_nl = 20, bf16 = 30

    /// Elements per block (1 for plain floats).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .iq4_nl: return 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: return 256
        }
    }

    /// Bytes per block.
    public var typeSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return 18
        case .q4_1: return 20
        case .q5_0: return 22
        case .q5_1: return 24
        case .q8_0: return 34
        case .q2_K: return 84
        case .q3_K: return 110
        case .q4_K: return 144
        case .q5_K: return 176
        case .q6_K: return 210
        case .iq4_nl: return 18
        }
    }

    /// The supported types' names, for the error that refuses another.
    public static var supportedNames: String { allCases.map(\.name).joined(separator: ", ") }

    /// ggml's name of the type (`ggml_type_name`).
    public var name: String { GGMLType.ggmlName(rawValue) ?? "type \(rawValue)" }

    /// ggml's names of every type id it has known, so that an unsupported but real type is named
    /// in errors ("iq2_xs") rather than shown as a bare number.
    static func ggmlName(_ id: UInt32) -> String? {
        let names: [UInt32: String] = [
            0: "f32", 1: "f16", 2: "q4_0", 3: "q4_1", 6: "q5_0", 7: "q5_1", 8: "q8_0", 9: "q8_1",
            10: "q2_K", 11: "q3_K", 12: "q4_K", 13: "q5_K", 14: "q6_K", 15: "q8_K",
            16: "iq2_xxs", 17: "iq2_xs", 18: "iq3_xxs", 19: "iq1_s", 20: "iq4_nl", 21: "iq3_s",
            22: "iq2_s", 23: "iq4_xs", 24: "i8", 25: "i16", 26: "i32", 27: "i64", 28: "f64",
            29: "iq1_m", 30: "bf16", 31: "q4_0_4_4", 32: "q4_0_4_8", 33: "q4_0_8_8",
            34: "tq1_0", 35: "tq2_0", 36: "iq4_nl_4_4", 37: "iq4_nl_4_8", 38: "iq4_nl_8_8", 39: "mxfp4",
            40: "nvfp4", 41: "q1_0",
        ]
        return names[id]
    }
}

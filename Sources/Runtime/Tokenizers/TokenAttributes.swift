/// What kind of token an id is, from `tokenizer.ggml.token_type` (llama.cpp's token attributes).
public struct TokenAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let undefined = TokenAttributes(rawValue: 1)
    public static let unknown = TokenAttributes(rawValue: 2)
    public static let unused = TokenAttributes(rawValue: 4)
    public static let normal = TokenAttributes(rawValue: 8)
    /// Control tokens (`<|im_start|>`): parsed from text only when asked, hidden when decoding.
    public static let control = TokenAttributes(rawValue: 16)
    /// User-defined tokens: always matched in text before pre-tokenizing, always shown.
    public static let userDefined = TokenAttributes(rawValue: 32)
    public static let byte = TokenAttributes(rawValue: 64)

    /// The attributes of a GGUF token type (1 normal, 2 unknown, 3 control, 4 user defined,
    /// 5 unused, 6 byte; anything else undefined).
    public init(ggufTokenType type: Int) {
        switch type {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = .undefined
        }
    }
}

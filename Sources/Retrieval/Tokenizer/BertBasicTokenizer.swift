import Foundation

/// BERT's "basic tokenizer": the `BertNormalizer` and `BertPreTokenizer` of HF `tokenizers`,
/// reproduced scalar by scalar so that WordPiece ids match the reference exactly.
///
/// Order (as the reference): clean text (drop NUL, U+FFFD and control/format/unassigned/private
/// scalars; every whitespace becomes a space), pad CJK ideographs with spaces, strip accents (NFD,
/// then drop nonspacing marks — this also decomposes Hangul syllables into conjoining jamo, which is
/// what the uncased vocabulary holds), lowercase (full Unicode mapping), then split on whitespace
/// and isolate every punctuation scalar.
///
/// Works on `Unicode.Scalar`s, never on `Character`s or `String` equality, because Swift compares
/// strings up to canonical equivalence while the vocabulary distinguishes precomposed and decomposed forms.
public struct BertBasicTokenizer: Sendable, Equatable {
    public var cleanText = true
    public var handleChineseChars = true
    public var stripAccents = true
    public var lowercase = true

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool = true, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// The words of `text` (each an array of scalar values), normalized and split.
    public func words(_ text: String) -> [[UInt32]] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
                if Self.isWhitespace(scalar) { scalars.append(" "); continue }
            }
            if handleChineseChars && Self.isChinese(scalar.value) {
                scalars.append(" ")
                scalars.append(scalar)
                scalars.append(" ")
            } else {
                scalars.append(scalar)
            }
        }
        if stripAccents {
            var string = String.UnicodeScalarView()
            string.append(contentsOf: scalars)
            let decomposed = String(string).decomposedStringWithCanonicalMapping
            scalars = decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
        }
        if lowercase {
            scalars = scalars.flatMap { scalar -> [Unicode.Scalar] in
                if scalar.isASCII {
                    let value = UInt8(scalar.value)
                    return [Unicode.Scalar((65...90).contains(value) ? value + 32 : value)]
                }
                return Array(scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        var words: [[UInt32]] = []
        var current: [UInt32] = []
        for scalar in scalars {
            if Self.isWhitespace(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([scalar.value])
            } else {
                current.append(scalar.value)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Rust's `char::is_whitespace` plus tab, newline and carriage return.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Categories Cc, Cf, Cn, Co, Cs, except tab, newline and carriage return (counted as whitespace).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation (which includes symbols like `$`, `+`, `^`) or any Unicode P* category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .closePunctuation, .finalPunctuation,
             .initialPunctuation, .otherPunctuation, .openPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT splits into single characters (not Hangul or kana).
    static func isChinese(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x20000...0x2A6DF).contains(value)
            || (0x2A700...0x2B73F).contains(value) || (0x2B740...0x2B81F).contains(value) || (0x2B820...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }
}

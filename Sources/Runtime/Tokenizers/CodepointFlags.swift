/// The Unicode classes the pre-tokenizers ask about, per code point, as llama.cpp's
/// `unicode_cpt_flags` defines them: \p{N}, \p{L}, \p{P}, and White_Space (\s).
///
/// The table is filled lazily, 256 code points at a time, from `Unicode.Scalar.Properties`:
/// computing all 1.1 million code points up front takes ~0.1 s, which would delay a model's first
/// token; real text touches a handful of pages. Not thread-safe: each `Tokenizer` owns one and
/// uses it under its lock.
final class CodepointFlags {
    static let number: UInt8 = 1
    static let letter: UInt8 = 2
    static let whitespace: UInt8 = 4
    static let punctuation: UInt8 = 8

    /// One pointer per 256 code points, nil until filled. A `let` pointer rather than an array
    /// property: reading a class's `var` costs a dynamic exclusivity check per code point.
    private let pages: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>
    private static let pageCount = 0x110000 >> 8

    init() {
        pages = .allocate(capacity: CodepointFlags.pageCount)
        pages.initialize(repeating: nil, count: CodepointFlags.pageCount)
    }

    deinit {
        for index in 0..<CodepointFlags.pageCount { pages[index]?.deallocate() }
        pages.deallocate()
    }

    /// Fills every page now (benchmarks).
    func prefill() {
        for index in 0..<CodepointFlags.pageCount where pages[index] == nil { _ = fill(index) }
    }

    /// The flags of code point `c` (0 for values past U+10FFFF).
    @inline(__always)
    func callAsFunction(_ c: UInt32) -> UInt8 {
        let index = Int(c >> 8)
        guard index < CodepointFlags.pageCount else { return 0 }
        if let page = pages[index] { return page[Int(c & 0xFF)] }
        return fill(index)[Int(c & 0xFF)]
    }

    private func fill(_ index: Int) -> UnsafeMutablePointer<UInt8> {
        let page = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        // Hangul syllables (U+AC00-U+D6FF here) and CJK ideographs (U+4E00-U+9FFF) are whole
        // pages of letters: skip 256 property lookups each for the scripts Baton sees most.
        if (0xAC...0xD6).contains(index) || (0x4E...0x9F).contains(index) {
            page.initialize(repeating: CodepointFlags.letter, count: 256)
            pages[index] = page
            return page
        }
        for i in 0..<256 {
            page[i] = CodepointFlags.compute(UInt32(index << 8 | i))
        }
        pages[index] = page
        return page
    }

    static func compute(_ c: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(c) else { return 0 }  // surrogates: control, no class used here
        let properties = scalar.properties
        var flags: UInt8 = properties.isWhitespace ? whitespace : 0
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber:
            flags |= number
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags |= letter
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            flags |= punctuation
        default:
            break
        }
        return flags
    }
}

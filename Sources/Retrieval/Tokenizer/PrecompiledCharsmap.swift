import Foundation

/// SentencePiece's precompiled normalization map (`precompiled_charsmap`: `nmt_nfkc` and the
/// like, as XLM-RoBERTa's `tokenizer.json` and GGUF's `t5` tokenizers carry it): a double-array
/// trie (darts-clone) from UTF-8 byte strings to offsets into a pool of NUL-terminated
/// replacements.
///
/// Blob: a little-endian u32 with the trie's size in bytes, the trie's u32 units, then the pool.
/// `normalize` follows HF tokenizers' `spm_precompiled` exactly, quirks included: each grapheme
/// cluster shorter than 6 bytes is replaced whole by the replacement of its shortest matching
/// prefix; otherwise (or without a match) each character is looked up alone. Every array read is
/// bounds-checked, so a corrupt blob gives wrong text, never a crash.
public struct PrecompiledCharsmap: Sendable {
    private let units: [UInt32]
    private let pool: [UInt8]

    /// Reads `blob`; fails (naming `source`) when it is too short for the size it announces.
    public init(_ blob: [UInt8], source: String) throws(RetrievalError) {
        guard blob.count >= 4 else { throw RetrievalError("\(source): error: precompiled_charsmap has \(blob.count) bytes, too short for its header") }
        let size = Int(UInt32(blob[0]) | UInt32(blob[1]) << 8 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 24)
        guard size % 4 == 0, size <= blob.count - 4 else {
            throw RetrievalError("\(source): error: precompiled_charsmap announces a \(size)-byte trie but holds \(blob.count - 4) bytes")
        }
        units = stride(from: 4, to: 4 + size, by: 4).map { i in
            UInt32(blob[i]) | UInt32(blob[i + 1]) << 8 | UInt32(blob[i + 2]) << 16 | UInt32(blob[i + 3]) << 24
        }
        pool = Array(blob[(4 + size)...])
    }

    /// The pool offset of the shortest prefix of `key` in the trie (darts' common prefix search,
    /// first result), or nil.
    func shortestMatch<C: Collection>(_ key: C) -> Int? where C.Element == UInt8 {
        guard let root = units.first else { return nil }
        var node = Self.offset(root)
        for byte in key {
            if byte == 0 { return nil }
            node ^= Int(byte)
            guard node < units.count else { return nil }
            let unit = units[node]
            guard unit & (1 << 31 | 0xFF) == UInt32(byte) else { return nil }
            node ^= Self.offset(unit)
            if (unit >> 8) & 1 == 1 {
                guard node < units.count else { return nil }
                return Int(units[node] & ((1 << 31) - 1))
            }
        }
        return nil
    }

    /// The longest prefix of `bytes[start...]` in the trie, as (its length, its pool offset), or
    /// nil: llama.cpp's `normalize_prefix` (GGUF `t5` tokenizers) takes the longest match.
    func longestMatch(_ bytes: [UInt8], from start: Int) -> (length: Int, offset: Int)? {
        guard let root = units.first else { return nil }
        var node = Self.offset(root)
        var found: (length: Int, offset: Int)?
        var position = start
        while position < bytes.count, bytes[position] != 0 {
            node ^= Int(bytes[position])
            guard node < units.count else { break }
            let unit = units[node]
            guard unit & (1 << 31 | 0xFF) == UInt32(bytes[position]) else { break }
            node ^= Self.offset(unit)
            if (unit >> 8) & 1 == 1 {
                guard node < units.count else { break }
                found = (position - start + 1, Int(units[node] & ((1 << 31) - 1)))
            }
            position += 1
        }
        return found
    }

    /// The replacement text at `offset` in the pool (up to its NUL).
    func replacement(at offset: Int) -> String? {
        guard offset < pool.count else { return nil }
        let end = pool[offset...].firstIndex(of: 0) ?? pool.count
        return String(decoding: pool[offset..<end], as: UTF8.self)
    }

    private static func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }

    /// `text` normalized.
    public func normalize(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for grapheme in text {
            let bytes = Array(grapheme.utf8)
            if bytes.count < 6, let match = shortestMatch(bytes), let replaced = replacement(at: match) {
                result += replaced
                continue
            }
            for scalar in grapheme.unicodeScalars {
                if let match = shortestMatch(Array(String(scalar).utf8)), let replaced = replacement(at: match) {
                    result += replaced
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

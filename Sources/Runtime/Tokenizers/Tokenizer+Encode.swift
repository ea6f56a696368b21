/// The mutable state of encoding, reused across calls under the tokenizer's lock.
final class EncoderState {
    let flags = CodepointFlags()
    var cache = WordCache()
    var scratch = BPEModel.Scratch()
    var codepoints: [UInt32] = []
    var offsets: [Int] = []
    var wordIDs: [Int] = []
}

extension Tokenizer {
    /// A piece of the input: raw text (a byte range) or a special token matched in it.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    /// Tokenizes `text` as llama.cpp's `llama_tokenize(text, add_special, parse_special)`.
    ///
    /// - Parameters:
    ///   - addSpecial: add BOS/EOS where the model asks for them (`addBOS`, `addEOS`).
    ///   - parseSpecial: match control tokens (`<|im_start|>`) written in the text; user-defined
    ///     tokens are always matched.
    public func encode(_ text: String, addSpecial: Bool = false, parseSpecial: Bool = false) -> [Int] {
        var text = text
        return text.withUTF8 { bytes in
            lock.lock()
            defer { lock.unlock() }
            return encode(bytes: bytes, addSpecial: addSpecial, parseSpecial: parseSpecial)
        }
    }

    private func encode(bytes: UnsafeBufferPointer<UInt8>, addSpecial: Bool, parseSpecial: Bool) -> [Int] {
        var output: [Int] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        if addSpecial && addBOS, let bos { output.append(bos) }
        let fragments = bytes.isEmpty ? [] : partition(bytes, parseSpecial: parseSpecial)
        var previousWasSpecial = true
        for fragment in fragments {
            switch fragment {
            case .token(let id):
                output.append(id)
                previousWasSpecial = true
            case .text(let range):
                let slice = UnsafeBufferPointer(rebasing: bytes[range])
                switch kind {
                case .bpe:
                    encodeBPE(slice, into: &output)
                case .sentencePiece:
                    var escaped: [UInt8] = []
                    escaped.reserveCapacity(slice.count + 8)
                    if addSpacePrefix && previousWasSpecial { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) }
                    for b in slice {
                        if b == 0x20 { escaped.append(contentsOf: [0xE2, 0x96, 0x81]) } else { escaped.append(b) }
                    }
                    escaped.withUnsafeBufferPointer { sentencePiece?.encode($0, into: &output) }
                }
                previousWasSpecial = false
            }
        }
        if addSpecial && addEOS, let eos { output.append(eos) }
        return output
    }

    /// Splits the input at special tokens, longest tokens first, as llama.cpp's
    /// `tokenizer_st_partition`: control and unknown tokens only when `parseSpecial`.
    func partition(_ bytes: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = [.text(0..<bytes.count)]
        for special in specialTokens where parseSpecial || !special.controlOrUnknown {
            let needle = special.bytes
            guard let first = needle.first else { continue }
            var next: [Fragment] = []
            var changed = false
            for fragment in fragments {
                guard case .text(let range) = fragment else { next.append(fragment); continue }
                var start = range.lowerBound
                var pos = range.lowerBound
                while pos + needle.count <= range.upperBound {
                    if bytes[pos] == first && matches(needle, bytes, at: pos) {
                        if pos > start { next.append(.text(start..<pos)) }
                        next.append(.token(special.id))
                        pos += needle.count
                        start = pos
                        changed = true
                    } else {
                        pos += 1
                    }
                }
                if start < range.upperBound { next.append(.text(start..<range.upperBound)) }
            }
            if changed { fragments = next }
        }
        return fragments
    }

    private func matches(_ needle: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at pos: Int) -> Bool {
        for (i, b) in needle.enumerated() where bytes[pos + i] != b { return false }
        return true
    }

    /// Pre-tokenizes one raw fragment and merges each word, through the word cache.
    private func encodeBPE(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [Int]) {
        guard let bpe, let preTokenizer else { return }
        let s = state
        decodeScalars(bytes, into: &s.codepoints, offsets: &s.offsets)
        let ends = s.codepoints.withUnsafeBufferPointer { preTokenizer.split($0, flags: s.flags) }
        // One access to each piece of state for the whole fragment: touching a class's stored
        // properties per word costs a dynamic exclusivity check each time.
        s.offsets.withUnsafeBufferPointer { offsets in
            BPEModel.encodeWords(bpe, bytes, offsets: offsets, ends: ends, cache: &s.cache, scratch: &s.scratch, into: &output)
        }
    }

    /// Decodes valid UTF-8 into code points and the byte offset where each starts (plus the end).
    private func decodeScalars(_ bytes: UnsafeBufferPointer<UInt8>, into cps: inout [UInt32], offsets: inout [Int]) {
        cps.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = UInt32(bytes[i])
            offsets.append(i)
            if b0 < 0x80 {
                cps.append(b0); i += 1
            } else if b0 < 0xE0, i + 1 < n {
                cps.append((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)); i += 2
            } else if b0 < 0xF0, i + 2 < n {
                cps.append((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)); i += 3
            } else if i + 3 < n {
                cps.append((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)); i += 4
            } else {
                cps.append(0xFFFD); i += 1
            }
        }
        offsets.append(n)
    }
}

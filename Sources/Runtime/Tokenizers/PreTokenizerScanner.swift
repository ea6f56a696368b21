/// The hand-written scanners behind `PreTokenizer`: each splits the code points in
/// `start..<end` into words and appends each word's end index. Positions outside the chunk
/// count as "no character" (flags 0), as in llama.cpp's `_get_flags`.
struct PreTokenizerScanner {
    let cps: UnsafeBufferPointer<UInt32>
    let flags: CodepointFlags

    private static let cr: UInt32 = 0x0D, lf: UInt32 = 0x0A, space: UInt32 = 0x20, apostrophe: UInt32 = 0x27

    @inline(__always) func isNumber(_ c: UInt32) -> Bool { flags(c) & CodepointFlags.number != 0 }

    /// `[\p{P}\$\+<=>\^~\|]` as llama.cpp's std::regex sees it: ASCII punctuation by its own table,
    /// other code points by category (whitespace first).
    func isDefaultPunctuation(_ c: UInt32) -> Bool {
        if c < 128 {
            switch UInt8(c) {
            case 0x21...0x23, 0x25...0x2A, 0x2C...0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B...0x5D, 0x5F, 0x7B, 0x7D,
                 0x24, 0x2B, 0x3C...0x3E, 0x5E, 0x7E, 0x7C:
                return true
            default:
                return false
            }
        }
        let f = flags(c)
        return f & CodepointFlags.whitespace == 0 && f & CodepointFlags.punctuation != 0
    }

    /// Splitting by a one-class regex (`X` when `single`, else `X+`): matches become words, and
    /// so does the text between them (std::regex split as llama.cpp does it).
    func runs(start: Int, end: Int, single: Bool, into out: inout [Int], where matches: (UInt32) -> Bool) {
        var pos = start
        var last = start
        while pos < end {
            if matches(cps[pos]) {
                if pos > last { out.append(pos) }
                pos += 1
                if !single { while pos < end && matches(cps[pos]) { pos += 1 } }
                out.append(pos)
                last = pos
            } else {
                pos += 1
            }
        }
        if end > last { out.append(end) }
    }

    /// `[0-9][0-9][0-9]` split: leftmost non-overlapping triples of ASCII digits.
    func asciiDigitTriples(start: Int, end: Int, into out: inout [Int]) {
        @inline(__always) func digit(_ i: Int) -> Bool { i < end && cps[i] >= 0x30 && cps[i] <= 0x39 }
        var pos = start
        var last = start
        while pos < end {
            if digit(pos) && digit(pos + 1) && digit(pos + 2) {
                if pos > last { out.append(pos) }
                pos += 3
                out.append(pos)
                last = pos
            } else {
                pos += 1
            }
        }
        if end > last { out.append(end) }
    }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    func gpt2(start: Int, end: Int, into out: inout [Int]) {
        @inline(__always) func f(_ i: Int) -> UInt8 { i < end ? flags(cps[i]) : 0 }
        @inline(__always) func inRange(_ i: Int) -> Bool { i < end }
        let letter = CodepointFlags.letter, number = CodepointFlags.number, ws = CodepointFlags.whitespace
        var pos = start
        while pos < end {
            let c = cps[pos]
            if c == Self.apostrophe && pos + 1 < end {
                let n = cps[pos + 1]
                if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 {  // s t m d
                    pos += 2; out.append(pos); continue
                }
                if pos + 2 < end {
                    let nn = cps[pos + 2]
                    if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) {  // re ve ll
                        pos += 3; out.append(pos); continue
                    }
                }
            }
            let isSpace = c == Self.space
            let f2 = isSpace ? f(pos + 1) : f(pos)
            if f2 & letter != 0 {
                pos += isSpace ? 1 : 0
                while f(pos) & letter != 0 { pos += 1 }
                out.append(pos); continue
            }
            if f2 & number != 0 {
                pos += isSpace ? 1 : 0
                while f(pos) & number != 0 { pos += 1 }
                out.append(pos); continue
            }
            let firstOther = isSpace ? pos + 1 : pos
            if inRange(firstOther) && f2 & (ws | letter | number) == 0 {
                pos = firstOther
                while inRange(pos) && f(pos) & (ws | letter | number) == 0 { pos += 1 }
                out.append(pos); continue
            }
            var count = 0
            while f(pos + count) & ws != 0 { count += 1 }
            if count > 1 && inRange(pos + count) {
                pos += count - 1; out.append(pos); continue
            }
            if count > 0 {
                pos += count; out.append(pos); continue
            }
            pos += 1
            out.append(pos)
        }
    }

    /// Llama 3 (`digitsPerWord` 3) and Qwen2 (1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    func llama3(start: Int, end: Int, digitsPerWord: Int, into out: inout [Int]) {
        @inline(__always) func f(_ i: Int) -> UInt8 { i < end ? flags(cps[i]) : 0 }
        @inline(__always) func lower(_ c: UInt32) -> UInt32 { c >= 0x41 && c <= 0x5A ? c + 32 : c }
        @inline(__always) func isCRLF(_ i: Int) -> Bool { i < end && (cps[i] == Self.cr || cps[i] == Self.lf) }
        let letter = CodepointFlags.letter, number = CodepointFlags.number, ws = CodepointFlags.whitespace
        var pos = start
        while pos < end {
            let c = cps[pos]
            let fc = f(pos)
            if c == Self.apostrophe && pos + 1 < end {
                let n = lower(cps[pos + 1])
                if n == 0x73 || n == 0x74 || n == 0x6D || n == 0x64 {
                    pos += 2; out.append(pos); continue
                }
                if pos + 2 < end {
                    let nn = lower(cps[pos + 2])
                    if (n == 0x72 && nn == 0x65) || (n == 0x76 && nn == 0x65) || (n == 0x6C && nn == 0x6C) {
                        pos += 3; out.append(pos); continue
                    }
                }
            }
            if !(c == Self.cr || c == Self.lf || fc & number != 0) {
                if fc & letter != 0 || f(pos + 1) & letter != 0 {
                    pos += 1
                    while f(pos) & letter != 0 { pos += 1 }
                    out.append(pos); continue
                }
            }
            if fc & number != 0 {
                var first = pos
                while f(pos) & number != 0 {
                    pos += 1
                    if pos - first >= digitsPerWord { out.append(pos); first = pos }
                }
                if pos > first { out.append(pos) }
                continue
            }
            let isSpace = c == Self.space
            let f2 = isSpace ? f(pos + 1) : fc
            if f2 & (ws | letter | number) == 0 {
                pos += isSpace ? 1 : 0
                while pos < end && f(pos) & (ws | letter | number) == 0 { pos += 1 }
                while isCRLF(pos) { pos += 1 }
                out.append(pos); continue
            }
            var count = 0
            var lastLineBreakEnd = -1
            while f(pos + count) & ws != 0 {
                if isCRLF(pos + count) { lastLineBreakEnd = pos + count + 1 }
                count += 1
            }
            if lastLineBreakEnd >= 0 {
                pos = lastLineBreakEnd; out.append(pos); continue
            }
            if count > 1 && pos + count < end {
                pos += count - 1; out.append(pos); continue
            }
            if count > 0 {
                pos += count; out.append(pos); continue
            }
            pos += 1
            out.append(pos)
        }
    }
}

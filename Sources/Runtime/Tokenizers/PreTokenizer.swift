/// How a byte-level BPE vocabulary splits text into words before merging, chosen by
/// `tokenizer.ggml.pre` exactly as llama.cpp chooses it (llama-vocab.cpp).
///
/// Each kind is a list of split stages applied in turn, each refining the chunks of the one
/// before, like llama.cpp's list of regexes. The regexes are hand-written scanners over code
/// points, equal to llama.cpp's (its own scanners for the GPT-2, Llama 3 and Qwen2 patterns, and
/// std::regex over category-collapsed text for the simple ones).
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)` (gpt-2, mpt, olmo, ...).
    case gpt2
    /// Llama 3: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, `\p{N}{1,3}`, ... .
    case llama3
    /// Qwen2: as Llama 3 but single digits.
    case qwen2
    /// `\p{N}` isolated, then GPT-2 (smollm, exaone, starcoder, refact, command-r, codeshell, ...).
    case smollm
    /// llama.cpp's fallback for a missing `pre`: punctuation runs, GPT-2, digit runs, triples.
    case `default`

    /// The pre-tokenizer llama.cpp uses for a `tokenizer.ggml.pre` value; nil when unknown.
    public static func named(_ name: String) -> PreTokenizer? {
        switch name {
        case "default": return .default
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
             "dbrx", "smaug-bpe":
            return .llama3
        case "gpt-2", "gpt2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
             "a.x-4.0", "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt", "olmo",
             "jais", "exaone4", "trillion", "granite-docling":
            return .gpt2
        case "qwen2", "deepseek-r1-qwen", "kormo", "stablelm2", "megrez", "hunyuan", "solar-open":
            return .qwen2
        case "smollm", "exaone", "starcoder", "refact", "command-r", "codeshell", "minerva-7b", "mellum2":
            return .smollm
        default:
            return nil
        }
    }

    /// Splits `cps` (one raw-text fragment) into words; returns the end index of each word.
    func split(_ cps: UnsafeBufferPointer<UInt32>, flags: CodepointFlags) -> [Int] {
        var chunks = [cps.count]
        var next: [Int] = []
        func stage(_ scan: (Int, Int, inout [Int]) -> Void) {
            next.removeAll(keepingCapacity: true)
            var start = 0
            for end in chunks {
                scan(start, end, &next)
                start = end
            }
            swap(&chunks, &next)
        }
        guard !cps.isEmpty else { return [] }
        let scanner = PreTokenizerScanner(cps: cps, flags: flags)
        switch self {
        case .gpt2:
            stage(scanner.gpt2)
        case .llama3:
            stage { scanner.llama3(start: $0, end: $1, digitsPerWord: 3, into: &$2) }
        case .qwen2:
            stage { scanner.llama3(start: $0, end: $1, digitsPerWord: 1, into: &$2) }
        case .smollm:
            stage { scanner.runs(start: $0, end: $1, single: true, into: &$2, where: scanner.isNumber) }
            stage(scanner.gpt2)
        case .default:
            stage { scanner.runs(start: $0, end: $1, single: false, into: &$2, where: scanner.isDefaultPunctuation) }
            stage(scanner.gpt2)
            stage { scanner.runs(start: $0, end: $1, single: false, into: &$2, where: scanner.isNumber) }
            stage(scanner.asciiDigitTriples)
        }
        return chunks
    }
}

extension Tokenizer {
    /// The special tokens llama.cpp finds by their text when the metadata names none (end of
    /// turn, end of message, fill-in-the-middle), each made a control token, and the set of
    /// tokens that end generation. llama.cpp walks a hash map, so where a vocabulary has several
    /// candidates its pick is arbitrary; Baton takes the lowest id.
    struct SpecialTokenScan {
        var eot: Int?
        var endOfGeneration: Set<Int>
    }

    static let endOfTurnTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
        "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    static let endOfGenerationTexts: Set<String> = endOfTurnTexts.union([
        "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "</s>", "<|eom_id|>", "[EOS]", "<eos>", "<turn|>",
        "<|tool_response>", "[e~[",
    ])
    /// Fill-in-the-middle roles: metadata key, the texts that identify it, whether it ends generation.
    static let fillInTheMiddle: [(key: String, texts: Set<String>, endsGeneration: Bool)] = [
        ("tokenizer.ggml.fim_pre_token_id", ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>",
                                             "▁<PRE>", "<|code_prefix|>", "<|prefix|>"], false),
        ("tokenizer.ggml.fim_suf_token_id", ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>",
                                             "▁<SUF>", "<|code_suffix|>", "<|suffix|>"], false),
        ("tokenizer.ggml.fim_mid_token_id", ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>",
                                             "▁<MID>", "<|code_middle|>", "<|middle|>"], false),
        ("tokenizer.ggml.fim_pad_token_id", ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"], true),
        ("tokenizer.ggml.fim_rep_token_id", ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"], true),
        ("tokenizer.ggml.fim_sep_token_id", ["<|file_sep|>"], true),
        ("tokenizer.ggml.eom_token_id", ["<|eom_id|>"], true),
    ]

    /// The first bytes and the lengths (UTF-8) of the end-of-generation and fill-in-the-middle texts.
    static let candidateShape: (firstBytes: [Bool], lengths: [Bool]) = {
        let texts = fillInTheMiddle.reduce(endOfGenerationTexts) { $0.union($1.texts) }
        var first = [Bool](repeating: false, count: 256)
        var lengths = [Bool](repeating: false, count: (texts.map(\.utf8.count).max() ?? 0) + 1)
        for text in texts {
            if let byte = text.utf8.first { first[Int(byte)] = true }
            lengths[text.utf8.count] = true
        }
        return (first, lengths)
    }()

    static func scanSpecialTokens(tokens: [String], attributes: inout [TokenAttributes], eos: Int?,
                                  metadataID: (String) -> Int?) -> SpecialTokenScan {
        // Only a token with a special text's first byte and length can equal it (no character of
        // these texts has another canonically equivalent spelling), so one cheap pass picks the
        // few worth comparing instead of hashing every token's text nine times.
        let (firstBytes, lengths) = candidateShape
        let candidates = tokens.indices.filter { i in
            let utf8 = tokens[i].utf8
            guard let first = utf8.first, firstBytes[Int(first)] else { return false }
            return utf8.count < lengths.count && lengths[utf8.count]
        }
        func firstToken(in texts: Set<String>) -> Int? { candidates.first { texts.contains(tokens[$0]) } }
        var eot = metadataID("tokenizer.ggml.eot_token_id")
        if eot == nil, let found = firstToken(in: endOfTurnTexts) {
            eot = found
            attributes[found].insert(.control)
        }
        var endOfGeneration = Set([eos, eot].compactMap { $0 })
        for role in fillInTheMiddle {
            var id = metadataID(role.key)
            if id == nil, let found = firstToken(in: role.texts) {
                id = found
                attributes[found].insert(.control)
            }
            if role.endsGeneration, let id { endOfGeneration.insert(id) }
        }
        for i in candidates where endOfGenerationTexts.contains(tokens[i]) {
            endOfGeneration.insert(i)
            attributes[i].insert(.control)
        }
        return SpecialTokenScan(eot: eot, endOfGeneration: endOfGeneration)
    }
}

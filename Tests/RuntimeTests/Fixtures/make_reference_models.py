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
import os
import numpy as np
from gguf_fixtures import (Q, RandomTensors, add_byte_vocabulary, finish, model_writer, quantize_with_llama_cpp, record_logits,
                           write_model_file, write_models)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reference")

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


def write_model(path, name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options, seed):
    rng = np.random.default_rng(seed)
    head_size = width // heads
    w = model_writer(path, arch, layers, width, ffn, heads, kv_heads)
    w.add_rope_freq_base(1000000.0 if arch == "qwen2" else 10000.0)
    w.add_layer_norm_rms_eps(1e-6 if arch == "qwen2" else 1e-5)
    w.add_rope_dimension_count(head_size)
    add_byte_vocabulary(w, vocab)

    # Quantization by llama.cpp (K-quants) starts from an F32 file.
    tensors = RandomTensors(w, rng, Q.F32 if wtype in ("Q4_K", "Q6_K") else getattr(Q, wtype))
    matrix, vector = tensors.matrix, tensors.vector

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
        tensors.feed_forward(p, width, ffn)
    tensors.output(width, vocab, options.get("untied"))
    finish(w)


def write_one(seed, model):
    name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options = model
    path = os.path.join(OUT, name + ".gguf")
    write_model_file(path, lambda file: write_model(file, name, arch, width, heads, kv_heads, ffn, layers, vocab, wtype, options, seed),
                     (lambda source, path: quantize_with_llama_cpp(source, path, wtype)) if wtype in ("Q4_K", "Q6_K") else None)
    tokens, types = record_logits(path, OUT, name, vocab, N_TOKENS, 1000 + seed)
    return path, {"name": name, "architecture": arch, "type": wtype, "width": width, "heads": heads,
                  "kv_heads": kv_heads, "feed_forward": ffn, "layers": layers, "vocabulary": vocab,
                  "tensor_types": types, "tokens": tokens, "quantized": wtype not in ("F32", "F16", "BF16")}


def main():
    write_models(OUT, "make_reference_models.py", MODELS, write_one)


if __name__ == "__main__":
    main()

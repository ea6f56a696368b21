#!/usr/bin/env python3
"""Writes tiny random-weight qwen3, gemma3 and exaone4 GGUFs and llama.cpp's logits for them.

The same method as make_reference_models.py (both use gguf_fixtures.py): each model is written with
the `gguf` package (F32, F16, Q8_0; Q4_K, Q6_K, Q5_K, Q3_K, Q2_K and IQ4_NL quantized by llama.cpp
itself, every matrix in the one type), then llama.cpp's
logits at every position of a fixed 48-token input (f32 KV cache, flash attention off, 2 threads)
are stored as little-endian float32, tokens x vocab. The inputs are longer than the sliding
window of 16, so the local layers' masks matter; `decoders/manifest.json` lists the models.

Shapes are odd on purpose: head sizes that differ from width / heads (`key_length`), grouped
query attention ratios 2-4, a Gemma sliding-window pattern of 3 (local, local, global) and the
default 6, EXAONE 4.0's 64-layer hybrid layout (llama.cpp enables sliding windows for exaone4
only at 64 layers; there the global layers have no RoPE).

Run from anywhere:  python3 Tests/RuntimeTests/Fixtures/make_decoder_models.py
(`--references [TYPE...]`: only llama.cpp's logits of the committed models, of those types.)
Needs: pip install gguf numpy llama-cpp-python==0.3.36
"""
import json
import os
import sys
import numpy as np
import llama_cpp
from gguf_fixtures import (Q, RandomTensors, add_byte_vocabulary, finish, llama_cpp_logits, model_writer, quantize_pure, quantize_with_llama_cpp,
                           record_logits, write_model_file, write_models)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "decoders")
N_TOKENS = 48
WINDOW = 16

# name, arch, width, heads, kv_heads, head_size, ffn, layers, vocab, weight type, options
MODELS = [
    ("qwen3-f32-gqa2-head32", "qwen3", 96, 4, 2, 32, 160, 2, 300, "F32", {}),
    ("qwen3-f16-gqa3-untied", "qwen3", 96, 6, 2, 16, 224, 2, 280, "F16", {"untied": True}),
    ("qwen3-q8_0-gqa4", "qwen3", 128, 8, 2, 32, 256, 2, 300, "Q8_0", {}),
    ("qwen3-q4_k-gqa2", "qwen3", 256, 4, 2, 64, 512, 2, 300, "Q4_K", {}),
    ("qwen3-q6_k-gqa4-untied", "qwen3", 256, 8, 2, 32, 512, 2, 300, "Q6_K", {"untied": True}),
    ("gemma3-f32-swa3-gqa2", "gemma3", 64, 4, 2, 32, 160, 3, 300, "F32", {"pattern": 3}),
    ("gemma3-f16-swa3-mqa", "gemma3", 96, 3, 1, 64, 224, 3, 280, "F16", {"pattern": 3}),
    ("gemma3-q8_0-swa6-gqa2", "gemma3", 64, 2, 1, 64, 128, 7, 300, "Q8_0", {}),
    ("gemma3-q4_k-swa3-gqa4", "gemma3", 256, 4, 1, 64, 512, 3, 300, "Q4_K", {"pattern": 3}),
    ("gemma3-q6_k-swa3-gqa2-untied", "gemma3", 256, 4, 2, 64, 512, 3, 300, "Q6_K", {"pattern": 3, "untied": True}),
    ("exaone4-f32-gqa2", "exaone4", 64, 4, 2, 16, 160, 2, 300, "F32", {}),
    ("exaone4-f16-gqa3-untied", "exaone4", 96, 3, 1, 32, 224, 2, 280, "F16", {"untied": True}),
    ("exaone4-f32-swa-64layers", "exaone4", 32, 2, 1, 16, 32, 64, 260, "F32", {"swa": True}),
    ("exaone4-q4_k-gqa2", "exaone4", 256, 4, 2, 64, 512, 2, 300, "Q4_K", {}),
    ("exaone4-q6_k-gqa4", "exaone4", 256, 8, 2, 32, 512, 2, 300, "Q6_K", {}),
    ("qwen3-q5_k-gqa2", "qwen3", 256, 4, 2, 64, 256, 2, 260, "Q5_K", {}),
    ("gemma3-q5_k-swa3-gqa2", "gemma3", 256, 4, 2, 64, 256, 3, 260, "Q5_K", {"pattern": 3}),
    ("exaone4-q5_k-gqa4", "exaone4", 256, 8, 2, 32, 256, 2, 260, "Q5_K", {}),
    ("qwen3-q3_k-gqa2", "qwen3", 256, 4, 2, 64, 256, 2, 260, "Q3_K", {}),
    ("gemma3-q2_k-swa3-mqa", "gemma3", 256, 4, 1, 64, 256, 3, 260, "Q2_K", {"pattern": 3}),
    ("exaone4-iq4_nl-gqa2", "exaone4", 256, 4, 2, 64, 256, 2, 260, "IQ4_NL", {}),
]
# Types llama.cpp's quantizer makes from the F32 model (every matrix in the type: `pure`), with
# the llama_ftype that selects them.
LLAMA_QUANTIZED = {"Q4_K": None, "Q6_K": None, "Q5_K": llama_cpp.LLAMA_FTYPE_MOSTLY_Q5_K_M,
                   "Q3_K": llama_cpp.LLAMA_FTYPE_MOSTLY_Q3_K_M, "Q2_K": llama_cpp.LLAMA_FTYPE_MOSTLY_Q2_K,
                   "IQ4_NL": llama_cpp.LLAMA_FTYPE_MOSTLY_IQ4_NL}


def write_model(path, arch, width, heads, kv_heads, head_size, ffn, layers, vocab, wtype, options, seed):
    rng = np.random.default_rng(seed)
    w = model_writer(path, arch, layers, width, ffn, heads, kv_heads)
    w.add_key_length(head_size)
    w.add_value_length(head_size)
    w.add_rope_freq_base(1000000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_dimension_count(head_size)
    if arch == "gemma3":
        w.add_sliding_window(WINDOW)
        w.add_rope_freq_base_swa(10000.0)
        if "pattern" in options:
            w.add_uint32(f"{arch}.attention.sliding_window_pattern", options["pattern"])
    if arch == "exaone4" and options.get("swa"):
        w.add_sliding_window(WINDOW)
    add_byte_vocabulary(w, vocab)

    tensors = RandomTensors(w, rng, Q.F32 if wtype in LLAMA_QUANTIZED else getattr(Q, wtype))
    matrix, vector = tensors.matrix, tensors.vector

    q_width, kv_width = heads * head_size, kv_heads * head_size
    # Gemma's embeddings are scaled up by sqrt(width) in the graph: keep them small here.
    matrix("token_embd.weight", vocab, width, width ** -0.5 if arch == "gemma3" else 1.0)
    for i in range(layers):
        p = f"blk.{i}."
        if arch != "exaone4":
            vector(p + "attn_norm.weight", width, 1.0, 0.1)
        matrix(p + "attn_q.weight", q_width, width, width ** -0.5)
        matrix(p + "attn_k.weight", kv_width, width, width ** -0.5)
        matrix(p + "attn_v.weight", kv_width, width, width ** -0.5)
        vector(p + "attn_q_norm.weight", head_size, 1.0, 0.1)
        vector(p + "attn_k_norm.weight", head_size, 1.0, 0.1)
        matrix(p + "attn_output.weight", width, q_width, q_width ** -0.5)
        if arch != "qwen3":
            vector(p + "post_attention_norm.weight", width, 1.0, 0.1)
            vector(p + "post_ffw_norm.weight", width, 1.0, 0.1)
        if arch != "exaone4":
            vector(p + "ffn_norm.weight", width, 1.0, 0.1)
        tensors.feed_forward(p, width, ffn)
    tensors.output(width, vocab, options.get("untied"))
    finish(w)


def write_one(seed, model):
    name, arch, width, heads, kv_heads, head_size, ffn, layers, vocab, wtype, options = model
    path = os.path.join(OUT, name + ".gguf")
    args = (arch, width, heads, kv_heads, head_size, ffn, layers, vocab, wtype, options, 500 + seed)
    if wtype not in LLAMA_QUANTIZED:
        quantize = None
    elif LLAMA_QUANTIZED[wtype] is None:
        quantize = lambda source, path: quantize_with_llama_cpp(source, path, wtype)
    else:
        quantize = lambda source, path: quantize_pure(source, path, LLAMA_QUANTIZED[wtype])
    write_model_file(path, lambda file: write_model(file, *args), quantize)
    tokens, types = record_logits(path, OUT, name, vocab, N_TOKENS, 2000 + seed)
    write_schedule_references(name, tokens, wtype)
    return path, {"name": name, "architecture": arch, "type": wtype, "width": width, "heads": heads,
                  "kv_heads": kv_heads, "head_size": head_size, "feed_forward": ffn, "layers": layers,
                  "vocabulary": vocab, "sliding_window": WINDOW if arch == "gemma3" or options.get("swa") else None,
                  "tensor_types": types, "tokens": tokens, "quantized": wtype not in ("F32", "F16")}


# Weight types llama.cpp multiplies by 8 or more activation rows with its tiled kernel, whose float
# order differs from its one-row `ggml_vec_dot` (Q4_K and Q2_K are repacked instead). Their
# logits depend on how the tokens are batched, so DecoderReferenceTests' decode-step and ring runs
# are compared with llama.cpp run the same way: `<name>.decode.logits.f32` (8 tokens, then one at a
# time) and `<name>.ring.logits.f32` (20 tokens, 10 one at a time, 18 tokens, in ubatches of 6).
TILED = ("Q3_K", "Q5_K", "Q6_K")
SCHEDULES = {"decode": ([8] + [1] * 40, 64), "ring": ([20] + [1] * 10 + [18], 6)}


def llama_cpp_schedule_logits(path, tokens, calls, ubatch):
    """llama.cpp's logits at every position when `tokens` are decoded in calls of `calls` tokens."""
    mp = llama_cpp.llama_model_default_params()
    model = llama_cpp.llama_model_load_from_file(path.encode(), mp)
    cp = llama_cpp.llama_context_default_params()
    cp.n_ctx, cp.n_batch, cp.n_ubatch, cp.n_threads, cp.n_threads_batch = 64, 64, ubatch, 2, 2
    cp.type_k, cp.type_v, cp.flash_attn_type = 0, 0, 0
    ctx = llama_cpp.llama_init_from_model(model, cp)
    vocab = llama_cpp.llama_vocab_n_tokens(llama_cpp.llama_model_get_vocab(model))
    rows, start = [], 0
    for count in calls:
        batch = llama_cpp.llama_batch_init(count, 0, 1)
        batch.n_tokens = count
        for i in range(count):
            batch.token[i], batch.pos[i], batch.n_seq_id[i], batch.logits[i] = tokens[start + i], start + i, 1, True
            batch.seq_id[i][0] = 0
        if llama_cpp.llama_decode(ctx, batch) != 0:
            raise SystemExit(f"llama_decode failed for {path}")
        for i in range(count):
            rows.append(np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, i), shape=(vocab,)).copy())
        llama_cpp.llama_batch_free(batch)
        start += count
    llama_cpp.llama_free(ctx)
    llama_cpp.llama_model_free(model)
    return np.array(rows, dtype=np.float32)


def write_schedule_references(name, tokens, wtype):
    """llama.cpp's logits of the decode and ring schedules, for `TILED` types."""
    path = os.path.join(OUT, name + ".gguf")
    if wtype in TILED:
        for schedule, (calls, ubatch) in SCHEDULES.items():
            logits = llama_cpp_schedule_logits(path, tokens, calls, ubatch)
            logits.astype("<f4").tofile(os.path.join(OUT, f"{name}.{schedule}.logits.f32"))


def main():
    if sys.argv[1:2] == ["--references"]:
        # Only llama.cpp's logits for the committed models of the named types (all without names),
        # e.g. `--references Q3_K Q5_K Q6_K` after a llama.cpp update.
        for m in json.load(open(os.path.join(OUT, "manifest.json")))["models"]:
            if len(sys.argv) == 2 or m["type"] in sys.argv[2:]:
                path = os.path.join(OUT, m["name"] + ".gguf")
                llama_cpp_logits(path, m["tokens"]).astype("<f4").tofile(os.path.join(OUT, m["name"] + ".logits.f32"))
                write_schedule_references(m["name"], m["tokens"], m["type"])
        return
    write_models(OUT, "make_decoder_models.py", MODELS, write_one)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes think/qwen3-thinks.gguf: a tiny random-weight qwen3 model that always "thinks".

Its vocabulary is GPT-2's 256 byte tokens, Qwen's <|im_start|> / <|im_end|> control tokens and
two ordinary tokens whose text holds a whole think block followed by an answer piece
("<think>plan</think>ok" and "<think>plan</think>ok!"). The untied output matrix is zero except
those two rows, +e0 and -e0, and the output norm keeps only dimension 0: whatever the input, the
greedy choice is one of the two, so every generated token writes a think block. The chat
template is Qwen3's tail: with enable_thinking false it writes an empty think block after
"<|im_start|>assistant". EngineTests run a workflow step on it and check that its output and
stream carry no think text while the audit keeps the thoughts.

Run from anywhere:  python3 Tests/RuntimeTests/Fixtures/make_think_model.py
Needs: pip install gguf numpy
"""
import os
import numpy as np
from gguf_fixtures import byte_tokens, finish, model_writer

HERE = os.path.dirname(os.path.abspath(__file__))
WIDTH, HEADS, KV_HEADS, FFN = 64, 2, 1, 128

TEMPLATE = (
    "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}{%- endif %}"
)


def main():
    os.makedirs(os.path.join(HERE, "think"), exist_ok=True)
    rng = np.random.default_rng(77)
    tokens = byte_tokens() + ["<|im_start|>", "<|im_end|>", "<think>plan</think>ok", "<think>plan</think>ok!"]
    vocab = len(tokens)
    w = model_writer(os.path.join(HERE, "think", "qwen3-thinks.gguf"), "qwen3", 1, WIDTH, FFN, HEADS, KV_HEADS)
    w.add_key_length(WIDTH // HEADS)
    w.add_value_length(WIDTH // HEADS)
    w.add_rope_freq_base(1000000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types([1] * 256 + [3, 3, 1, 1])
    w.add_token_merges(["\u0120 \u0120"])
    w.add_bos_token_id(256)
    w.add_eos_token_id(257)
    w.add_add_bos_token(False)
    w.add_chat_template(TEMPLATE)

    def matrix(name, rows, cols):
        w.add_tensor(name, (rng.standard_normal((rows, cols)) * cols ** -0.5).astype(np.float32))

    head = WIDTH // HEADS
    matrix("token_embd.weight", vocab, WIDTH)
    w.add_tensor("blk.0.attn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    matrix("blk.0.attn_q.weight", WIDTH, WIDTH)
    matrix("blk.0.attn_k.weight", KV_HEADS * head, WIDTH)
    matrix("blk.0.attn_v.weight", KV_HEADS * head, WIDTH)
    w.add_tensor("blk.0.attn_q_norm.weight", np.ones(head, dtype=np.float32))
    w.add_tensor("blk.0.attn_k_norm.weight", np.ones(head, dtype=np.float32))
    matrix("blk.0.attn_output.weight", WIDTH, WIDTH)
    w.add_tensor("blk.0.ffn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    matrix("blk.0.ffn_gate.weight", FFN, WIDTH)
    matrix("blk.0.ffn_up.weight", FFN, WIDTH)
    matrix("blk.0.ffn_down.weight", WIDTH, FFN)
    norm = np.zeros(WIDTH, dtype=np.float32)
    norm[0] = 1
    w.add_tensor("output_norm.weight", norm)
    output = np.zeros((vocab, WIDTH), dtype=np.float32)
    output[vocab - 2, 0], output[vocab - 1, 0] = 1, -1
    w.add_tensor("output.weight", output)
    finish(w)


if __name__ == "__main__":
    main()

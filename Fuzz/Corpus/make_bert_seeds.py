#!/usr/bin/env python3
"""Writes FuzzBert's seed models: two tiny random BERT encoders in llama.cpp's `bert` GGUF
layout (metadata, tensor names, phantom-space WordPiece vocabulary), small enough for the fuzzer
to mutate (about 40 and 20 KB). Standard library only (struct, random), seeded, so the files are
the same on every machine.

    python3 Fuzz/Corpus/make_bert_seeds.py     # rewrites FuzzBert/tiny-f32.gguf and tiny-mixed.gguf
"""
import os
import random
import struct

HIDDEN, INTERMEDIATE, POSITIONS, HEADS = 32, 32, 16, 2
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TOKENS = SPECIAL + ["\u2581" + c for c in "abcdefghijklmnopqrstuvwxyz"] + list("abcdefghijklmnopqrstuvwxyz") + \
    ["\u2581baton", "\u2581hello", "able", "\u2581un", "aff", "\u2581안녕", "하세요", "\u2581東", "京", "\u2581,", "\u2581!"]
F32, F16, Q8_0, BF16 = 0, 1, 8, 30


def string(text):
    data = text.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def kv(key, kind, value):
    out = string(key) + struct.pack("<I", kind)
    if kind == 4:
        out += struct.pack("<I", value)
    elif kind == 6:
        out += struct.pack("<f", value)
    elif kind == 8:
        out += string(value)
    elif kind == 9:  # array of strings
        out += struct.pack("<IQ", 8, len(value)) + b"".join(string(v) for v in value)
    return out


def encode(values, kind):
    if kind == F32:
        return struct.pack("<%df" % len(values), *values)
    if kind == F16:
        return struct.pack("<%de" % len(values), *values)
    if kind == BF16:
        return b"".join(struct.pack("<I", struct.unpack("<I", struct.pack("<f", v))[0])[2:] for v in values)
    if kind == Q8_0:
        out = b""
        for start in range(0, len(values), 32):
            block = values[start:start + 32]
            scale = max(abs(v) for v in block) / 127 or 1.0
            out += struct.pack("<e", scale) + struct.pack("<32b", *[max(-127, min(127, round(v / scale))) for v in block])
        return out
    raise ValueError(kind)


def model(path, layers, matrix_kind, ffn_kind, seed):
    rng = random.Random(seed)

    def values(count, scale=0.2):
        return [rng.uniform(-scale, scale) for _ in range(count)]

    tensors = []  # (name, gguf shape ne0 first, kind, values)

    def add(name, shape, kind=F32, data=None):
        count = 1
        for n in shape:
            count *= n
        tensors.append((name, shape, kind, data if data is not None else values(count)))

    add("token_embd.weight", [HIDDEN, len(TOKENS)], matrix_kind)
    add("position_embd.weight", [HIDDEN, POSITIONS], matrix_kind)
    add("token_types.weight", [HIDDEN, 2], BF16 if matrix_kind != F32 else F32)
    add("token_embd_norm.weight", [HIDDEN], data=[1.0] * HIDDEN)
    add("token_embd_norm.bias", [HIDDEN])
    for i in range(layers):
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            add("blk.%d.%s.weight" % (i, name), [HIDDEN, HIDDEN], matrix_kind)
            add("blk.%d.%s.bias" % (i, name), [HIDDEN])
        add("blk.%d.attn_output_norm.weight" % i, [HIDDEN], data=[1.0] * HIDDEN)
        add("blk.%d.attn_output_norm.bias" % i, [HIDDEN])
        add("blk.%d.ffn_up.weight" % i, [HIDDEN, INTERMEDIATE], ffn_kind)
        add("blk.%d.ffn_up.bias" % i, [INTERMEDIATE])
        add("blk.%d.ffn_down.weight" % i, [INTERMEDIATE, HIDDEN], ffn_kind)
        add("blk.%d.ffn_down.bias" % i, [HIDDEN])
        add("blk.%d.layer_output_norm.weight" % i, [HIDDEN], data=[1.0] * HIDDEN)
        add("blk.%d.layer_output_norm.bias" % i, [HIDDEN])

    metadata = [
        kv("general.architecture", 8, "bert"), kv("general.name", 8, "fuzz-tiny-bert"),
        kv("bert.context_length", 4, POSITIONS), kv("bert.embedding_length", 4, HIDDEN),
        kv("bert.feed_forward_length", 4, INTERMEDIATE), kv("bert.block_count", 4, layers),
        kv("bert.attention.head_count", 4, HEADS), kv("bert.attention.layer_norm_epsilon", 6, 1e-12),
        kv("tokenizer.ggml.model", 8, "bert"), kv("tokenizer.ggml.tokens", 9, TOKENS),
        kv("tokenizer.ggml.cls_token_id", 4, 2), kv("tokenizer.ggml.seperator_token_id", 4, 3),
        kv("tokenizer.ggml.unknown_token_id", 4, 1), kv("tokenizer.ggml.padding_token_id", 4, 0),
    ]
    infos, blobs, offset = b"", [], 0
    for name, shape, kind, data in tensors:
        blob = encode(data, kind)
        infos += string(name) + struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", n) for n in shape)
        infos += struct.pack("<IQ", kind, offset)
        padded = blob + b"\0" * (-len(blob) % 32)
        blobs.append(padded)
        offset += len(padded)
    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata)) + b"".join(metadata) + infos
    head += b"\0" * (-len(head) % 32)
    with open(path, "wb") as f:
        f.write(head + b"".join(blobs))


if __name__ == "__main__":
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "FuzzBert")
    model(os.path.join(here, "tiny-f32.gguf"), layers=1, matrix_kind=F32, ffn_kind=F32, seed=1)
    model(os.path.join(here, "tiny-mixed.gguf"), layers=2, matrix_kind=F16, ffn_kind=Q8_0, seed=2)

#!/usr/bin/env python3
"""Writes a small valid GGUF file with the `gguf` package, then corrupted copies of it.

Usage: python3 make_malformed_gguf.py [OUTDIR]   (default: malformed/ next to this script)

The base file is `valid.gguf`; every other file is the base with one defect, named after it.
The Swift test table (GGUFMalformedTests.swift) expects an exact error for each file.
"""
import json
import os
import struct
import sys

import numpy as np
import gguf

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "malformed")


def write_base(path):
    w = gguf.GGUFWriter(path, "llama")
    w.add_custom_alignment(32)
    w.add_name("tiny")
    w.add_uint32("tiny.count", 7)
    w.add_array("tiny.nested", [[1, 2], [3]])
    w.add_uint8("tiny.u8", 200)
    w.add_int8("tiny.i8", -5)
    w.add_uint16("tiny.u16", 60000)
    w.add_int16("tiny.i16", -30000)
    w.add_uint64("tiny.u64", 1 << 63)
    w.add_int64("tiny.i64", -(1 << 40))
    w.add_float64("tiny.f64", 0.25)
    w.add_bool("tiny.flag", True)
    w.add_float32("tiny.scale", 0.5)
    w.add_string("tiny.text", "안녕하세요")
    w.add_array("tiny.words", ["a", "bb", "ccc"])
    w.add_array("tiny.ints", [1, 2, 3])
    w.add_tensor("a", np.arange(16, dtype=np.float32).reshape(2, 8))
    w.add_tensor("b", np.arange(32, dtype=np.float16))
    q8 = np.zeros((1, 34), dtype=np.uint8)
    w.add_tensor("c", q8, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


class Layout:
    """Byte offsets of every field of a GGUF file, found by walking it."""

    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.kv = {}       # key -> dict(key_at, type_at, value_at)
        self.tensors = {}  # name -> dict(at, ndims_at, dims_at, type_at, offset_at)
        self.pos = 8
        self.tensor_count_at = 8
        self.kv_count_at = 16
        n_t, n_kv = struct.unpack_from("<QQ", data, 8)
        self.pos = 24
        for _ in range(n_kv):
            key_at, key = self.at(self.string)
            type_at, t = self.at(self.u32)
            value_at, _ = self.at(lambda: self.value(t))
            self.kv[key] = dict(key_at=key_at, type_at=type_at, value_at=value_at, end=self.pos)
        for _ in range(n_t):
            at, name = self.at(self.string)
            ndims_at, nd = self.at(self.u32)
            dims_at, _ = self.at(lambda: self.skip(8 * nd))
            type_at, _ = self.at(lambda: self.skip(4))
            offset_at, _ = self.at(lambda: self.skip(8))
            self.tensors[name] = dict(at=at, ndims_at=ndims_at, dims_at=dims_at, type_at=type_at, offset_at=offset_at)
        self.infos_end = self.pos
        self.data_at = (self.pos + 31) // 32 * 32

    def at(self, read):
        """The offset where `read` starts, and what it returns (it moves `pos` past what it reads)."""
        start = self.pos
        return start, read()

    def skip(self, count):
        self.pos += count

    def u32(self):
        v = struct.unpack_from("<I", self.data, self.pos)[0]
        self.pos += 4
        return v

    def string(self):
        n = struct.unpack_from("<Q", self.data, self.pos)[0]
        self.pos += 8
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return s

    def value(self, t):
        sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
        if t in sizes:
            self.pos += sizes[t]
        elif t == 8:
            self.string()
        elif t == 9:
            et = self.u32()
            n = struct.unpack_from("<Q", self.data, self.pos)[0]
            self.pos += 8
            for _ in range(n):
                self.value(et)


def deeply_nested(depth):
    """A file whose only metadata value is an array nested `depth` levels deep."""
    key = b"deep"
    out = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key + struct.pack("<I", 9)
    for _ in range(depth - 1):
        out += struct.pack("<IQ", 9, 1)
    return out + struct.pack("<IQ", 4, 1) + struct.pack("<I", 7)


def patch(data, at, fmt, value):
    out = bytearray(data)
    struct.pack_into(fmt, out, at, value)
    return bytes(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    base_path = os.path.join(OUT, "valid.gguf")
    write_base(base_path)
    base = open(base_path, "rb").read()
    L = Layout(base)
    kv, t = L.kv, L.tensors
    text_at = kv["tiny.text"]["value_at"]
    words_at = kv["tiny.words"]["value_at"]
    key0 = kv["general.architecture"]["key_at"]
    cases = {
        "empty": b"",
        "bad_magic": b"GGML" + base[4:],
        "version_1": patch(base, 4, "<I", 1),
        "version_big_endian": patch(base, 4, ">I", 3),
        "truncated_in_header": base[:14],
        "truncated_in_key": base[:kv["tiny.f64"]["key_at"] + 12],
        "truncated_in_string_value": base[:text_at + 10],
        "truncated_in_array": base[:words_at + 20],
        "truncated_in_tensor_infos": base[:t["b"]["dims_at"] + 3],
        "truncated_in_tensor_data": base[:len(base) - 40],
        "huge_metadata_count": patch(base, L.kv_count_at, "<Q", 1 << 60),
        "huge_tensor_count": patch(base, L.tensor_count_at, "<Q", 1 << 40),
        "huge_key_length": patch(base, key0, "<Q", (1 << 64) - 1),
        "huge_string_length": patch(base, text_at, "<Q", 1 << 50),
        "huge_array_count": patch(base, words_at + 4, "<Q", 1 << 62),
        "unknown_value_type": patch(base, kv["tiny.count"]["type_at"], "<I", 13),
        "unknown_array_element_type": patch(base, words_at, "<I", 77),
        "bool_not_0_or_1": patch(base, kv["tiny.flag"]["value_at"], "<B", 2),
        "invalid_utf8_key": patch(base, kv["tiny.count"]["key_at"] + 8, "<B", 0xFF),
        "invalid_utf8_string": patch(base, text_at + 8, "<B", 0xC3),
        "duplicate_key": patch(base, kv["tiny.ints"]["key_at"] + 8 + 5, "<4s", b"text"),
        "duplicate_tensor_name": patch(base, t["b"]["at"] + 8, "<B", ord("a")),
        "too_many_dimensions": patch(base, t["a"]["ndims_at"], "<I", 5),
        "shape_overflow": patch(patch(base, t["a"]["dims_at"], "<Q", 1 << 40), t["a"]["dims_at"] + 8, "<Q", 1 << 40),
        "negative_dimension": patch(base, t["b"]["dims_at"], "<Q", 1 << 63),
        "unknown_tensor_type": patch(base, t["a"]["type_at"], "<I", 99),
        "unsupported_tensor_type": patch(base, t["a"]["type_at"], "<I", 17),
        "row_not_multiple_of_block": patch(base, t["a"]["type_at"], "<I", 8),
        "offset_past_end": patch(base, t["c"]["offset_at"], "<Q", 1 << 20),
        "offset_overflow": patch(base, t["c"]["offset_at"], "<Q", (1 << 64) - 32),
        "misaligned_offset": patch(base, t["b"]["offset_at"], "<Q", 72),
        "overlapping_tensors": patch(base, t["c"]["offset_at"], "<Q", 64),
        "alignment_not_power_of_two": patch(base, kv["general.alignment"]["value_at"], "<I", 48),
        "alignment_zero": patch(base, kv["general.alignment"]["value_at"], "<I", 0),
        "alignment_not_u32": patch(base, kv["general.alignment"]["type_at"], "<I", 5),
        "huge_alignment": patch(base, kv["general.alignment"]["value_at"], "<I", 1 << 31),
        "arrays_nested_too_deep": deeply_nested(12),
        "nested_array_count_too_big": patch(base, kv["tiny.nested"]["value_at"] + 12 + 4, "<Q", 1 << 40),
        "shape_too_big_for_file": patch(base, t["b"]["dims_at"], "<Q", 1 << 30),
    }
    valid = {
        "valid_version_2": patch(base, 4, "<I", 2),
        "valid_nested_8_deep": deeply_nested(8),
    }
    for name, data in list(cases.items()) + list(valid.items()):
        with open(os.path.join(OUT, name + ".gguf"), "wb") as f:
            f.write(data)
    # ggml's type table as the gguf package knows it, for the GGMLType test.
    types = {t.name.lower(): [t.value, *gguf.GGML_QUANT_SIZES[t]] for t in gguf.GGMLQuantizationType}
    with open(os.path.join(os.path.dirname(OUT), "ggml_types.json"), "w") as f:
        json.dump(types, f, sort_keys=True)
    print(f"wrote valid.gguf and {len(cases)} malformed files to {OUT}")


if __name__ == "__main__":
    main()

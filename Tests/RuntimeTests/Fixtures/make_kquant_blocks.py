#!/usr/bin/env python3
"""Writes blocks of the K-quant types and IQ4_NL made by llama.cpp's own quantizer, with llama.cpp's
own dequantization of them and its own dot products with Q8 activations, for KQuantReferenceTests.

llama.cpp's functions are called from the libraries llama-cpp-python ships (ctypes):
`quantize_row_<type>_ref` and `dequantize_row_<type>` (ggml-base: the reference quantizer and the
row conversion `get_rows` uses), `quantize_row_q8_K` / `quantize_row_q8_0` and
`ggml_vec_dot_<type>_q8_K` / `ggml_vec_dot_iq4_nl_q8_0` (ggml-cpu: the kernels a matrix-vector
product runs, as built on this machine). Per type, 8 rows of 1024 values: six quantized from
random floats of different spreads (normal, tiny, huge, one outlier, all positive, all zero) and
two of random bytes with finite random f16 scales, which reach every bit pattern of the packed
fields. `kquants/manifest.json` lists the files:
  <type>.weights          8 rows of raw blocks
  <type>.dequantized.f32  8 x 1024 floats (dequantize_row_<type>)
  <type>.activations.f32  4 x 1024 floats
  <type>.dots.f32         8 x 4 floats (row r times activation a at r * 4 + a)

Run from anywhere:  python3 Tests/RuntimeTests/Fixtures/make_kquant_blocks.py
Needs: pip install numpy llama-cpp-python==0.3.36
"""
import ctypes, json, os
import numpy as np
import llama_cpp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "kquants")
LIB = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
ROWS, COLUMNS, ACTIVATIONS = 8, 1024, 4

# type: block values, block bytes, byte offsets of its f16 scales, activation type, activation block bytes
TYPES = {
    "q2_K": (256, 84, [80, 82], "q8_K", 292),
    "q3_K": (256, 110, [108], "q8_K", 292),
    "q4_K": (256, 144, [0, 2], "q8_K", 292),
    "q5_K": (256, 176, [0, 2], "q8_K", 292),
    "q6_K": (256, 210, [208], "q8_K", 292),
    "iq4_nl": (32, 18, [0], "q8_0", 34),
}

base = ctypes.CDLL(os.path.join(LIB, "libggml-base.so"))
cpu = ctypes.CDLL(os.path.join(LIB, "libggml-cpu.so"))
cpu.ggml_cpu_init()
FLOATS = ctypes.POINTER(ctypes.c_float)


def function(lib, name, *args):
    f = getattr(lib, name)
    f.argtypes = list(args)
    f.restype = None
    return f


def source_rows(rng):
    rows = [rng.standard_normal(COLUMNS), rng.standard_normal(COLUMNS) * 1e-3, rng.standard_normal(COLUMNS) * 300,
            np.where(np.arange(COLUMNS) == 77, 40.0, rng.standard_normal(COLUMNS) * 0.05), rng.uniform(0, 2, COLUMNS),
            np.zeros(COLUMNS)]
    return np.array(rows, dtype=np.float32)


def random_halves(rng, count):
    return (rng.choice([-1, 1], count) * 2.0 ** rng.uniform(-14, 4, count)).astype(np.float16)


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = []
    for name, (block, size, half_offsets, act, act_size) in TYPES.items():
        rng = np.random.default_rng(sum(name.encode()))
        quantize = function(base, f"quantize_row_{name}_ref", FLOATS, ctypes.c_void_p, ctypes.c_int64)
        dequantize = function(base, f"dequantize_row_{name}", ctypes.c_void_p, FLOATS, ctypes.c_int64)
        quantize_act = function(cpu, f"quantize_row_{act}", FLOATS, ctypes.c_void_p, ctypes.c_int64)
        dot = function(cpu, f"ggml_vec_dot_{name}_{act}", ctypes.c_int, FLOATS, ctypes.c_size_t, ctypes.c_void_p,
                       ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        row_bytes = COLUMNS // block * size
        weights = np.zeros(ROWS * row_bytes, dtype=np.uint8)
        floats = source_rows(rng)
        for r in range(len(floats)):
            out = np.zeros(row_bytes, dtype=np.uint8)
            quantize(floats[r].ctypes.data_as(FLOATS), out.ctypes.data, COLUMNS)
            weights[r * row_bytes:(r + 1) * row_bytes] = out
        for r in range(len(floats), ROWS):
            raw = rng.integers(0, 256, row_bytes, dtype=np.uint8)
            for b in range(COLUMNS // block):
                for offset in half_offsets:
                    at = b * size + offset
                    raw[at:at + 2] = np.frombuffer(random_halves(rng, 1).tobytes(), dtype=np.uint8)
            weights[r * row_bytes:(r + 1) * row_bytes] = raw
        dequantized = np.zeros(ROWS * COLUMNS, dtype=np.float32)
        dequantize(weights.ctypes.data, dequantized.ctypes.data_as(FLOATS), ROWS * COLUMNS)
        activations = (rng.standard_normal((ACTIVATIONS, COLUMNS)) * rng.uniform(0.1, 10, (ACTIVATIONS, 1))).astype(np.float32)
        dots = np.zeros(ROWS * ACTIVATIONS, dtype=np.float32)
        for a in range(ACTIVATIONS):
            converted = np.zeros(COLUMNS // (256 if act == "q8_K" else 32) * act_size, dtype=np.uint8)
            quantize_act(activations[a].ctypes.data_as(FLOATS), converted.ctypes.data, COLUMNS)
            for r in range(ROWS):
                result = ctypes.c_float()
                dot(COLUMNS, ctypes.byref(result), 0, weights.ctypes.data + r * row_bytes, 0, converted.ctypes.data, 0, 1)
                dots[r * ACTIVATIONS + a] = result.value
        weights.tofile(os.path.join(OUT, name + ".weights"))
        dequantized.astype("<f4").tofile(os.path.join(OUT, name + ".dequantized.f32"))
        activations.astype("<f4").tofile(os.path.join(OUT, name + ".activations.f32"))
        dots.astype("<f4").tofile(os.path.join(OUT, name + ".dots.f32"))
        manifest.append({"type": name, "rows": ROWS, "columns": COLUMNS, "activations": ACTIVATIONS})
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "make_kquant_blocks.py", "llama_cpp": llama_cpp.__version__, "types": manifest}, f, indent=1)


if __name__ == "__main__":
    main()

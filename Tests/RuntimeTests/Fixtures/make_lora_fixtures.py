"""LoRA adapters (llama.cpp's GGUF adapter format) for the random-weight F32 reference model, and
llama.cpp's logits with them applied, for LoRATests.

Writes lora/two-targets.gguf (attn_q, attn_v, ffn_down of every layer, rank 4, alpha 8) and
lora/mlp.gguf (ffn_gate, ffn_up, attn_output, rank 2, alpha 2), and lora/*.logits.f32: llama.cpp's
logits on the manifest's tokens with (a) two-targets at scale 1.0, (b) both adapters, 0.5 and 1.5.
Run: python3 Tests/RuntimeTests/Fixtures/make_lora_fixtures.py (needs gguf, numpy, llama-cpp-python).
"""
import ctypes, json, os
import numpy as np
import llama_cpp
from gguf_fixtures import open_llama, tensor_shapes, write_lora_adapter

here = os.path.dirname(os.path.abspath(__file__))
base = os.path.join(here, "reference", "llama-f32-gqa2-ropefreqs.gguf")
manifest = {m["name"]: m for m in json.load(open(os.path.join(here, "reference", "manifest.json")))["models"]}
tokens = manifest["llama-f32-gqa2-ropefreqs"]["tokens"]
shapes = tensor_shapes(base)
layers = manifest["llama-f32-gqa2-ropefreqs"]["layers"]


def logits_with(adapters):
    llm = open_llama(base, 64)
    handles = []
    if not adapters:
        llm.eval(tokens)
        return np.array(llm.scores[: len(tokens)], dtype=np.float32)
    for path, scale in adapters:
        handle = llama_cpp.llama_adapter_lora_init(llm._model.model, path.encode())
        assert handle, path
        handles.append((handle, scale))
    n = len(handles)
    ptrs = (llama_cpp.llama_adapter_lora_p_ctypes * n)(*[h for h, _ in handles])
    scales = (ctypes.c_float * n)(*[s for _, s in handles])
    assert llama_cpp.llama_set_adapters_lora(llm._ctx.ctx, ptrs, n, scales) == 0
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


os.makedirs(os.path.join(here, "lora"), exist_ok=True)
first = os.path.join(here, "lora", "two-targets.gguf")
second = os.path.join(here, "lora", "mlp.gguf")
write_lora_adapter(first, shapes, range(layers), ["attn_q", "attn_v", "ffn_down"], rank=4, alpha=8, scale=0.2, seed=7)
write_lora_adapter(second, shapes, range(layers), ["ffn_gate", "ffn_up", "attn_output"], rank=2, alpha=2, scale=0.2, seed=8)
plain = logits_with([])
one = logits_with([(first, 1.0)])
both = logits_with([(first, 0.5), (second, 1.5)])
one.astype("<f4").tofile(os.path.join(here, "lora", "two-targets.logits.f32"))
both.astype("<f4").tofile(os.path.join(here, "lora", "both.logits.f32"))
print("change vs base:", float(np.abs(one - plain).max()), float(np.abs(both - plain).max()))

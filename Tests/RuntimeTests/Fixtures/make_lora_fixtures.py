"""LoRA adapters (llama.cpp's GGUF adapter format) for the random-weight F32 reference model, and
llama.cpp's logits with them applied, for LoRATests.

Writes lora/two-targets.gguf (attn_q, attn_v, ffn_down of every layer, rank 4, alpha 8) and
lora/mlp.gguf (ffn_gate, ffn_up, attn_output, rank 2, alpha 2), and lora/*.logits.f32: llama.cpp's
logits on the manifest's tokens with (a) two-targets at scale 1.0, (b) both adapters, 0.5 and 1.5.
Run: python3 Tests/RuntimeTests/Fixtures/make_lora_fixtures.py (needs gguf, numpy, llama-cpp-python).
"""
import ctypes, json, os
import numpy as np
import gguf
import llama_cpp

here = os.path.dirname(os.path.abspath(__file__))
base = os.path.join(here, "reference", "llama-f32-gqa2-ropefreqs.gguf")
manifest = {m["name"]: m for m in json.load(open(os.path.join(here, "reference", "manifest.json")))["models"]}
tokens = manifest["llama-f32-gqa2-ropefreqs"]["tokens"]
reader = gguf.GGUFReader(base)
shapes = {t.name: [int(x) for x in t.shape] for t in reader.tensors}  # ne0 first
layers = manifest["llama-f32-gqa2-ropefreqs"]["layers"]


def write_adapter(path, targets, rank, alpha, seed):
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(path, "llama")
    w.add_string("general.type", "adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(alpha))
    for layer in range(layers):
        for target in targets:
            name = f"blk.{layer}.{target}.weight"
            n_in, n_out = shapes[name]
            a = (rng.standard_normal((rank, n_in)) * 0.2).astype(np.float32)   # ne = [n_in, rank]
            b = (rng.standard_normal((n_out, rank)) * 0.2).astype(np.float32)  # ne = [rank, n_out]
            w.add_tensor(name + ".lora_a", a)
            w.add_tensor(name + ".lora_b", b)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def logits_with(adapters):
    llm = llama_cpp.Llama(model_path=base, n_ctx=64, n_batch=64, n_ubatch=64, n_threads=2, n_threads_batch=2,
                          logits_all=True, type_k=0, type_v=0, flash_attn=False, verbose=False)
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
write_adapter(first, ["attn_q", "attn_v", "ffn_down"], 4, 8, 7)
write_adapter(second, ["ffn_gate", "ffn_up", "attn_output"], 2, 2, 8)
plain = logits_with([])
one = logits_with([(first, 1.0)])
both = logits_with([(first, 0.5), (second, 1.5)])
one.astype("<f4").tofile(os.path.join(here, "lora", "two-targets.logits.f32"))
both.astype("<f4").tofile(os.path.join(here, "lora", "both.logits.f32"))
print("change vs base:", float(np.abs(one - plain).max()), float(np.abs(both - plain).max()))

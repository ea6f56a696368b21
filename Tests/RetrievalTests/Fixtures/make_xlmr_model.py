#!/usr/bin/env python3
"""Writes a tiny random-weight XLM-RoBERTa sentence embedder (the multilingual-e5 / bge-m3 shape)
and transformers' embeddings of a few Korean/English texts, for XLMRobertaEmbedderTests.

  xlmr/e5-tiny/                 config.json, model.safetensors (transformers' XLMRobertaModel,
                                seed 7), tokenizer.json (unigram/, the sentencepiece model with
                                XLM-R's <s>=0 <pad>=1 </s>=2 <unk>=3), 1_Pooling/config.json (mean)
  xlmr/expected.json            per text: ids (<s> + HF tokenizers' ids + </s>), the mean-pooled
                                and the CLS-pooled unit vectors of the last hidden states

Run from anywhere:  python3 Tests/RetrievalTests/Fixtures/make_xlmr_model.py
Needs: pip install transformers tokenizers "torch==2.13.0+cpu" (after make_unigram_tokenizer.py)
"""
import json, os, shutil
import torch
from tokenizers import Tokenizer
from transformers import XLMRobertaConfig, XLMRobertaModel

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "xlmr", "e5-tiny")
TEXTS = ["query: 한빛 에이전시의 브랜드 톤은?", "passage: 한빛 에이전시는 따뜻하고 구체적인 카피를 씁니다.",
         "축제 일정과 장소", "ＡＢＣ ① ﬁ 전각과 합자", "A press release about the university AI lab.", "ㅎㅏㄴ 자모", "🎉 이모지"]


def main():
    os.makedirs(os.path.join(OUT, "1_Pooling"), exist_ok=True)
    shutil.copy(os.path.join(HERE, "unigram", "tokenizer.json"), os.path.join(OUT, "tokenizer.json"))
    tokenizer = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
    torch.manual_seed(7)
    config = XLMRobertaConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                              intermediate_size=128, max_position_embeddings=66, type_vocab_size=1, layer_norm_eps=1e-5,
                              bos_token_id=0, pad_token_id=1, eos_token_id=2,
                              initializer_range=0.3)  # large enough that attention moves the CLS state
    model = XLMRobertaModel(config, add_pooling_layer=False).eval()
    model.save_pretrained(OUT, safe_serialization=True)
    with open(os.path.join(OUT, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": 64, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True}, f)
    cases = []
    with torch.no_grad():
        for text in TEXTS:
            ids = [0] + tokenizer.encode(text, add_special_tokens=False).ids + [2]
            hidden = model(torch.tensor([ids])).last_hidden_state[0].double()
            mean, cls = hidden.mean(0), hidden[0]
            cases.append({"text": text, "ids": ids, "mean": (mean / mean.norm()).tolist(), "cls": (cls / cls.norm()).tolist()})
    with open(os.path.join(HERE, "xlmr", "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "make_xlmr_model.py", "cases": cases}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the random XLM-RoBERTa fixture (xlmr/e5-tiny, make_xlmr_model.py) as a llama.cpp GGUF,
the way convert_hf_to_gguf.py writes XLM-RoBERTa: architecture `bert`, the SentencePiece vocabulary
as a `t5` (UGM) tokenizer with its precompiled charsmap (copied from unigram/t5-vocab.gguf, the
same model), one token type, and the position table without RoBERTa's first pad_token_id + 1 rows
(llama.cpp counts positions from 0). Then llama.cpp's own ids and mean-pooled embeddings of the
fixture's texts, for BertGGUFTests.

  xlmr/e5-tiny.gguf        F32, ~190 KB
  xlmr/gguf_expected.json  per text: llama.cpp's ids (with <s> and </s>) and its embedding

Run from anywhere:  python3 Tests/RetrievalTests/Fixtures/make_xlmr_gguf.py
Needs: pip install gguf numpy llama-cpp-python==0.3.36
"""
import json, os
import numpy as np
import gguf
import llama_cpp
from make_bert_gguf import add_encoder_parameters, load_file, tensor_names

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "xlmr", "e5-tiny")
OUT = os.path.join(HERE, "xlmr", "e5-tiny.gguf")


def main():
    config = json.load(open(os.path.join(MODEL, "config.json")))
    weights = load_file(os.path.join(MODEL, "model.safetensors"))
    vocab = gguf.GGUFReader(os.path.join(HERE, "unigram", "t5-vocab.gguf"))
    offset = config["pad_token_id"] + 1
    w = gguf.GGUFWriter(OUT, "bert")
    w.add_name("e5-tiny")
    add_encoder_parameters(w, config, config["max_position_embeddings"] - offset)
    w.add_token_type_count(config["type_vocab_size"])
    w.add_pooling_type(gguf.PoolingType.MEAN)
    for field in vocab.fields.values():
        if not field.name.startswith("tokenizer."):
            continue
        value = field.contents()
        if field.types[0] == gguf.GGUFValueType.ARRAY:
            w.add_key_value(field.name, value, gguf.GGUFValueType.ARRAY, sub_type=field.types[-1])
        else:
            w.add_key_value(field.name, value, field.types[0])
    w.add_bool("tokenizer.ggml.add_bos_token", True)
    w.add_bool("tokenizer.ggml.add_eos_token", True)
    w.add_pad_token_id(config["pad_token_id"])
    names = tensor_names(config)
    for hf, gg in names.items():
        tensor = weights[hf].astype(np.float32)
        if gg == "position_embd.weight":
            tensor = tensor[offset:]
        w.add_tensor(gg, np.ascontiguousarray(tensor))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    texts = [case["text"] for case in json.load(open(os.path.join(HERE, "xlmr", "expected.json")))["cases"]]
    llm = llama_cpp.Llama(model_path=OUT, embedding=True, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                          n_ctx=64, n_threads=2, verbose=False)
    cases = []
    for text in texts:
        ids = llm.tokenize(text.encode(), add_bos=True, special=False)
        vector = np.array(llm.embed(text, normalize=True), dtype=np.float64)
        cases.append({"text": text, "ids": ids, "vector": vector.tolist()})
    with open(os.path.join(HERE, "xlmr", "gguf_expected.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "make_xlmr_gguf.py", "llama_cpp": llama_cpp.__version__, "cases": cases}, f, ensure_ascii=False)
    print(f"{OUT}: {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()

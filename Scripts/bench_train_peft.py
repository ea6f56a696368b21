#!/usr/bin/env python3
"""The reference side of `baton bench train`: LoRA training tokens/s of PyTorch + PEFT on
SmolLM2-135M's architecture in F32 on the CPU, with the settings Baton's side uses (sequence
length, rank, alpha, the seven targets, threads, AdamW). Speed depends on the shapes, not on the
weights, so the model is built from SmolLM2's configuration with seeded random weights (no
download). Prints one JSON object: the per-step tokens/s and their median, and the same per CPU-second (process time, all threads).

    python3 Scripts/bench_train_peft.py --seq-len 256 --rank 8 --threads 2 --steps 3
Needs `torch` (CPU build), `transformers` and `peft`.
"""
import argparse
import json
import statistics
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seq-len", type=int, default=256)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()

    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    # SmolLM2-135M-Instruct's config.json.
    config = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                         num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=8192,
                         rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=True, hidden_act="silu")
    model = LlamaForCausalLM(config).float()
    lora = LoraConfig(r=args.rank, lora_alpha=args.alpha, lora_dropout=0.0, bias="none", task_type="CAUSAL_LM",
                      target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])
    model = get_peft_model(model, lora)
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-4, weight_decay=0.01)
    generator = torch.Generator().manual_seed(1)
    tokens = torch.randint(0, config.vocab_size, (1, args.seq_len), generator=generator)
    rates, cpu_rates = [], []
    for step in range(args.steps + 1):  # the first step warms up and is not counted
        began, cpu = time.perf_counter(), time.process_time()
        loss = model(input_ids=tokens, labels=tokens).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        optimizer.step()
        optimizer.zero_grad()
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
        if step > 0:
            rates.append(args.seq_len / seconds)
            cpu_rates.append(args.seq_len / cpu_seconds)
    print(json.dumps({"tokens_per_second": rates, "median": statistics.median(rates),
                      "cpu_tokens_per_second": cpu_rates, "cpu_median": statistics.median(cpu_rates), "torch": torch.__version__}))


if __name__ == "__main__":
    main()

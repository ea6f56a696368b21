#!/usr/bin/env python3
"""PyTorch autograd reference for Baton's LoRA trainer (Sources/Training).

For each random-weight base model of Tests/RuntimeTests/Fixtures/reference (F32, Q8_0, Q4_1;
llama and qwen2), this script dequantizes the frozen weights with the `gguf` package, builds the
same decoder in float64 PyTorch, and writes next to itself:

  <case>.init.gguf   the initial LoRA A/B (seeded, nonzero B so that both gradients are
                     nontrivial), in llama.cpp's GGUF LoRA format; the Swift test reads it too
  <case>.data.json   token sequences with their loss masks (1 = an assistant token to predict)
  <case>.grads.gguf  dLoss/dA and dLoss/dB of one batch (all sequences), same tensor names
  <case>.json        the batch loss and the losses of 20 AdamW steps with gradient clipping

Loss: cross-entropy of token t+1 predicted at position t, for every t+1 whose mask is 1,
averaged over all such tokens of the batch. Run: python3 torch_lora_reference.py [--check]
(--check recomputes and compares with the committed files instead of writing them).
"""
import json, os, sys
import numpy as np
import torch
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
BASES = os.path.join(HERE, "..", "..", "RuntimeTests", "Fixtures", "reference")
TARGETS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
# name, base model file, rank, alpha, seed
CASES = [
    ("llama-f32", "llama-f32-gqa2-ropefreqs.gguf", 4, 8.0, 1),
    ("qwen2-f32", "qwen2-f32-gqa4.gguf", 4, 4.0, 2),
    ("llama-q8_0", "llama-q8_0-gqa4.gguf", 2, 8.0, 3),
    ("llama-q4_1", "llama-q4_1-gqa3.gguf", 8, 16.0, 4),
]
# The optimizer settings of the trajectory (Swift's AdamW must use the same).
LR, BETAS, EPS, WEIGHT_DECAY, CLIP, STEPS = 2e-3, (0.9, 0.999), 1e-8, 0.01, 1.0, 20


def field(reader, key, default=None):
    f = reader.fields.get(key)
    return default if f is None else f.contents()


def load(path):
    reader = gguf.GGUFReader(path)
    arch = field(reader, "general.architecture")
    cfg = {k: field(reader, f"{arch}.{k}") for k in ["block_count", "embedding_length", "attention.head_count",
                                                     "attention.head_count_kv", "rope.freq_base",
                                                     "attention.layer_norm_rms_epsilon", "rope.dimension_count"]}
    tensors = {}
    for t in reader.tensors:
        values = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float64)
        tensors[t.name] = torch.from_numpy(values.reshape([int(n) for n in reversed(t.shape)]).copy())
    return arch, cfg, tensors


def rmsnorm(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w


def rope(x, positions, base, dims, neox, factors):
    # x: T x heads x headSize; theta_i = pos * base^(-2i/dims) / factor_i
    i = torch.arange(dims // 2, dtype=torch.float64)
    inv = base ** (-2 * i / dims)
    if factors is not None:
        inv = inv / factors
    angle = positions[:, None].double() * inv[None, :]
    c, s = torch.cos(angle)[:, None, :], torch.sin(angle)[:, None, :]
    if neox:
        a, b = x[..., : dims // 2], x[..., dims // 2 : dims]
        rotated = torch.cat([a * c - b * s, a * s + b * c], dim=-1)
    else:
        a, b = x[..., 0:dims:2], x[..., 1:dims:2]
        rotated = torch.stack([a * c - b * s, a * s + b * c], dim=-1).flatten(-2)
    return torch.cat([rotated, x[..., dims:]], dim=-1)


def forward_loss_sum(arch, cfg, w, lora, scale, tokens, mask):
    """Sum of the masked cross-entropies of one sequence."""
    T = len(tokens)
    width, heads, kv = cfg["embedding_length"], cfg["attention.head_count"], cfg["attention.head_count_kv"] or cfg["attention.head_count"]
    hs = width // heads
    dims = cfg["rope.dimension_count"] or hs
    eps = cfg["attention.layer_norm_rms_epsilon"]
    base = cfg["rope.freq_base"] or 10000.0
    neox = arch != "llama"
    factors = w.get("rope_freqs.weight")
    x = w["token_embd.weight"][torch.tensor(tokens)]
    pos = torch.arange(T)

    def lin(name, inp):
        y = inp @ w[name + ".weight"].T
        if name + ".weight" in lora:
            a, b = lora[name + ".weight"]
            y = y + scale * ((inp @ a.T) @ b.T)
        return y

    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    for l in range(cfg["block_count"]):
        p = f"blk.{l}."
        h = rmsnorm(x, w[p + "attn_norm.weight"], eps)
        q, k, v = lin(p + "attn_q", h), lin(p + "attn_k", h), lin(p + "attn_v", h)
        if p + "attn_q.bias" in w:
            q, k, v = q + w[p + "attn_q.bias"], k + w[p + "attn_k.bias"], v + w[p + "attn_v.bias"]
        q = rope(q.view(T, heads, hs), pos, base, dims, neox, factors)
        k = rope(k.view(T, kv, hs), pos, base, dims, neox, factors)
        v = v.view(T, kv, hs)
        group = heads // kv
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        scores = torch.einsum("thd,uhd->htu", q, k) / hs ** 0.5
        scores = scores.masked_fill(causal, float("-inf"))
        o = torch.einsum("htu,uhd->thd", torch.softmax(scores, -1), v).reshape(T, heads * hs)
        x = x + lin(p + "attn_output", o)
        h = rmsnorm(x, w[p + "ffn_norm.weight"], eps)
        a = torch.nn.functional.silu(lin(p + "ffn_gate", h)) * lin(p + "ffn_up", h)
        x = x + lin(p + "ffn_down", a)
    h = rmsnorm(x, w["output_norm.weight"], eps)
    logits = h @ w.get("output.weight", w["token_embd.weight"]).T
    targets = torch.tensor(tokens[1:])
    keep = torch.tensor(mask[1:], dtype=torch.bool)
    losses = torch.nn.functional.cross_entropy(logits[:-1], targets, reduction="none")
    return losses[keep].sum(), int(keep.sum())


def batch_loss(arch, cfg, w, lora, scale, data):
    total, count = 0, 0
    for seq in data:
        s, n = forward_loss_sum(arch, cfg, w, lora, scale, seq["tokens"], seq["mask"])
        total, count = total + s, count + n
    return total / count


def shapes(w, layers):
    """(in, out) of every adapted tensor."""
    out = {}
    for l in range(layers):
        for t in TARGETS:
            name = f"blk.{l}.{t}.weight"
            rows, cols = w[name].shape
            out[f"blk.{l}.{t}"] = (cols, rows)
    return out


def write_adapter(path, arch, alpha, tensors):
    writer = gguf.GGUFWriter(path, arch)
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", alpha)
    for name, value in tensors.items():
        writer.add_tensor(name, value.detach().numpy().astype(np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def run_case(name, base_file, rank, alpha, seed, check):
    arch, cfg, w = load(os.path.join(BASES, base_file))
    vocab = w["token_embd.weight"].shape[0]
    rng = np.random.default_rng(seed)
    data = []
    for length in (12, 9, 16):
        tokens = rng.integers(0, vocab, length).tolist()
        prompt = int(rng.integers(2, length - 3))
        data.append({"tokens": tokens, "mask": [0] * prompt + [1] * (length - prompt)})
    lora = {}
    for target, (inp, out) in shapes(w, cfg["block_count"]).items():
        a = torch.from_numpy(rng.normal(0, 0.05, (rank, inp)))
        b = torch.from_numpy(rng.normal(0, 0.05, (out, rank)))
        # The committed init file holds f32: start from exactly those values.
        lora[target + ".weight"] = [a.float().double().requires_grad_(), b.float().double().requires_grad_()]
    init = {}
    for target, (a, b) in lora.items():
        # Copies: the AdamW steps below change the parameters in place.
        init[target + ".lora_a"], init[target + ".lora_b"] = a.detach().clone(), b.detach().clone()
    scale = alpha / rank
    params = [p for pair in lora.values() for p in pair]

    loss = batch_loss(arch, cfg, w, lora, scale, data)
    loss.backward()
    grads = {}
    for target, (a, b) in lora.items():
        grads[target + ".lora_a"], grads[target + ".lora_b"] = a.grad.clone(), b.grad.clone()

    optimizer = torch.optim.AdamW(params, lr=LR, betas=BETAS, eps=EPS, weight_decay=WEIGHT_DECAY)
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        step_loss = batch_loss(arch, cfg, w, lora, scale, data)
        step_loss.backward()
        torch.nn.utils.clip_grad_norm_(params, CLIP)
        optimizer.step()
        losses.append(step_loss.item())

    expected = {"base": base_file, "architecture": arch, "rank": rank, "alpha": alpha, "loss": loss.item(), "losses": losses,
                "optimizer": {"lr": LR, "beta1": BETAS[0], "beta2": BETAS[1], "epsilon": EPS,
                              "weight_decay": WEIGHT_DECAY, "clip": CLIP, "steps": STEPS}}
    prefix = os.path.join(HERE, name)
    if check:
        committed = json.load(open(prefix + ".json"))
        worst = max(abs(a - b) / abs(b) for a, b in zip(losses, committed["losses"]))
        print(f"{name}: loss {loss.item():.9f} (committed {committed['loss']:.9f}), worst trajectory difference {worst:.2e}")
        return worst < 1e-6 and abs(loss.item() - committed["loss"]) < 1e-9 * abs(committed["loss"])
    write_adapter(prefix + ".init.gguf", arch, alpha, init)
    write_adapter(prefix + ".grads.gguf", arch, alpha, grads)
    json.dump(data, open(prefix + ".data.json", "w"))
    json.dump(expected, open(prefix + ".json", "w"), indent=1)
    print(f"{name}: loss {loss.item():.6f}, after {STEPS} steps {losses[-1]:.6f}")
    return True


def main():
    torch.manual_seed(0)
    check = "--check" in sys.argv
    ok = all([run_case(*case, check) for case in CASES])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

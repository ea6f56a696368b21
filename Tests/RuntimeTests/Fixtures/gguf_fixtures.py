"""What the GGUF fixture generators share: the byte-level vocabulary of the random-weight models,
seeded random tensors, LoRA adapters, llama.cpp's quantizer and its logits, and the greedy
reference run on a real model.

One copy of each, so that the models of make_reference_models.py, make_decoder_models.py and
make_think_model.py, the adapters of make_lora_fixtures.py and make_smollm2_lora.py and the
references of make_smollm2_reference.py and make_gemma3_reference.py are written the same way:
regenerating any of them gives the committed bytes. llama_cpp is imported only by the functions
that run llama.cpp, so the generators that only write GGUF files need nothing but gguf and numpy.
"""
import ctypes, json, os, sys, tempfile
import numpy as np
import gguf

Q = gguf.GGMLQuantizationType


def byte_tokens():
    """GPT-2's byte-to-unicode strings, so llama.cpp's BPE vocabulary check passes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) + list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = dict(zip(bs, (chr(c) for c in cs)))
    return [table[b] for b in range(256)]


def model_writer(path, arch, layers, width, ffn, heads, kv_heads):
    """A GGUFWriter for a random-weight `arch` model at `path`, with its shape (context 256) as
    the first metadata; the caller adds the rest in order (metadata order is part of the file)."""
    w = gguf.GGUFWriter(path, arch)
    w.add_block_count(layers)
    w.add_context_length(256)
    w.add_embedding_length(width)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(kv_heads)
    return w


def add_byte_vocabulary(w, vocab):
    """A GPT-2 vocabulary of `vocab` tokens: the 256 bytes, one merge ("ĠĠ", id 256), then control
    tokens `<extra_i>`, BOS 257 and EOS 258."""
    tokens = byte_tokens() + ["\u0120\u0120"] + [f"<extra_{i}>" for i in range(vocab - 257)]
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    w.add_token_types([1] * 257 + [3] * (vocab - 257))
    w.add_token_merges(["\u0120 \u0120"])
    w.add_bos_token_id(257)
    w.add_eos_token_id(258)


class RandomTensors:
    """Adds tensors drawn from one seeded stream to a GGUFWriter, matrices stored as `store`
    (F32, F16, or quantized by the gguf package), vectors always F32. The draw order is the order
    of the calls, so a model is the same for the same seed and calls."""

    def __init__(self, writer, rng, store):
        self.writer, self.rng, self.store = writer, rng, store

    def matrix(self, name, rows, cols, scale):
        data = (self.rng.standard_normal((rows, cols)) * scale).astype(np.float32)
        if self.store == Q.F32:
            self.writer.add_tensor(name, data)
        elif self.store == Q.F16:
            self.writer.add_tensor(name, data.astype(np.float16))
        else:
            self.writer.add_tensor(name, gguf.quants.quantize(data, self.store), raw_dtype=self.store)

    def vector(self, name, n, center, scale):
        self.writer.add_tensor(name, (center + self.rng.standard_normal(n) * scale).astype(np.float32))

    def feed_forward(self, prefix, width, ffn):
        """A layer's SwiGLU matrices: gate and up (ffn x width), down (width x ffn)."""
        self.matrix(prefix + "ffn_gate.weight", ffn, width, width ** -0.5)
        self.matrix(prefix + "ffn_up.weight", ffn, width, width ** -0.5)
        self.matrix(prefix + "ffn_down.weight", width, ffn, ffn ** -0.5)

    def output(self, width, vocab, untied):
        """The final norm, and the output matrix when it is not tied to the embeddings."""
        self.vector("output_norm.weight", width, 1.0, 0.1)
        if untied:
            self.matrix("output.weight", vocab, width, width ** -0.5)


def finish(w):
    """Writes the header, metadata and tensors of `w` and closes the file."""
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def tensor_shapes(path):
    """Each tensor's shape in the GGUF at `path`, ne0 first."""
    return {t.name: [int(x) for x in t.shape] for t in gguf.GGUFReader(path).tensors}


def write_lora_adapter(path, shapes, layers, targets, rank, alpha, scale, seed):
    """A LoRA adapter in llama.cpp's GGUF adapter format: for each layer and target matrix
    (`shapes` gives its [n_in, n_out]), random A (rank x n_in) and B (n_out x rank) times `scale`."""
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(path, "llama")
    w.add_string("general.type", "adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(alpha))
    for layer in layers:
        for target in targets:
            name = f"blk.{layer}.{target}.weight"
            n_in, n_out = shapes[name]
            a = (rng.standard_normal((rank, n_in)) * scale).astype(np.float32)   # ne = [n_in, rank]
            b = (rng.standard_normal((n_out, rank)) * scale).astype(np.float32)  # ne = [rank, n_out]
            w.add_tensor(name + ".lora_a", a)
            w.add_tensor(name + ".lora_b", b)
    finish(w)


def quantize_pure(source, destination, ftype, output_tensor_type=None):
    """llama.cpp's quantizer on an F32 GGUF, every matrix in `ftype`'s type (`pure`), the output
    matrix in `output_tensor_type` when given."""
    import llama_cpp
    params = llama_cpp.llama_model_quantize_default_params()
    params.nthread = 2
    params.pure = True  # every matrix in the requested type (no per-tensor mixtures)
    params.ftype = ftype
    if output_tensor_type is not None:
        params.output_tensor_type = output_tensor_type
    rc = llama_cpp.llama_model_quantize(source.encode(), destination.encode(), ctypes.byref(params))
    if rc != 0:
        raise SystemExit(f"llama_model_quantize failed for {destination}: {rc}")


def quantize_with_llama_cpp(source, destination, wtype):
    """Q4_K (with a Q6_K output matrix, as Q4_K_M files mix them) or Q6_K, by llama.cpp."""
    import llama_cpp
    if wtype == "Q4_K":
        quantize_pure(source, destination, llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M, int(Q.Q6_K))
    else:
        quantize_pure(source, destination, llama_cpp.LLAMA_FTYPE_MOSTLY_Q6_K)


def write_model_file(path, write, quantize=None):
    """Calls write(file) for the model at `path`; with `quantize`, write makes a temporary F32 file
    that quantize(source, path) turns into the model (llama.cpp's quantizer starts from F32)."""
    if quantize is None:
        write(path)
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "f32.gguf")
        write(source)
        quantize(source, path)


def write_models(out, generator, models, write_one):
    """Writes every model into `out` with write_one(seed, model), which returns its file and its
    manifest entry (with `name` and `tensor_types`), then out/manifest.json: the generator,
    llama-cpp-python's version and the entries."""
    import llama_cpp
    os.makedirs(out, exist_ok=True)
    manifest = []
    for seed, model in enumerate(models):
        path, entry = write_one(seed, model)
        manifest.append(entry)
        print(f"{entry['name']}: {os.path.getsize(path)} bytes, types {entry['tensor_types']}", file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"generator": generator, "llama_cpp": llama_cpp.__version__, "models": manifest}, f, indent=1)


def open_llama(path, n_ctx):
    """llama.cpp as the references use it: f32 KV cache, flash attention off, 2 threads, logits
    at every position."""
    import llama_cpp
    return llama_cpp.Llama(model_path=path, n_ctx=n_ctx, n_batch=n_ctx, n_ubatch=n_ctx, n_threads=2, n_threads_batch=2,
                           logits_all=True, type_k=0, type_v=0, flash_attn=False, verbose=False)


def llama_cpp_logits(path, tokens):
    """llama.cpp's logits at every position of `tokens`, tokens x vocab float32."""
    llm = open_llama(path, 64)
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)], dtype=np.float32)


def record_logits(path, out, name, vocab, n_tokens, seed):
    """llama.cpp's logits for `n_tokens` random tokens (drawn from `seed`) on the model at `path`,
    written to out/name.logits.f32 as little-endian float32; returns the tokens and the model's
    tensor types, for the manifest."""
    rng = np.random.default_rng(seed)
    tokens = [int(t) for t in rng.integers(0, vocab, n_tokens)]
    llama_cpp_logits(path, tokens).astype("<f4").tofile(os.path.join(out, name + ".logits.f32"))
    return tokens, sorted({t.tensor_type.name for t in gguf.GGUFReader(path).tensors})


def greedy_cases(llm, prompts, tokenize, full_rows, steps):
    """For each prompt (token ids from `tokenize`): the top 16 (id, logit) pairs at the last prompt
    position and `steps` greedy tokens with the gap between the two best logits at every step (to
    judge near-ties). Returns the cases, the last-position rows of the first `full_rows` prompts
    as float16, and every prompt's last-position logits."""
    cases, rows, lasts = [], [], []
    for index, prompt in enumerate(prompts):
        tokens = tokenize(prompt)
        llm.reset()
        llm.eval(tokens)
        last = np.array(llm.scores[len(tokens) - 1], dtype=np.float32)
        if index < full_rows:
            rows.append(last.astype(np.float16))
        top = np.argsort(-last, kind="stable")[:16]
        generated, gaps = [], []
        logits = last
        for _ in range(steps):
            order = np.argsort(-logits, kind="stable")[:2]
            gaps.append(round(float(logits[order[0]] - logits[order[1]]), 4))
            token = int(order[0])
            generated.append(token)
            llm.eval([token])
            logits = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        cases.append({"prompt": prompt, "tokens": tokens, "top_ids": [int(i) for i in top],
                      "top_logits": [round(float(last[i]), 4) for i in top],
                      "generated": generated, "gaps": gaps})
        lasts.append(last)
    return cases, rows, lasts

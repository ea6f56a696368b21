#!/usr/bin/env bash
# Fetches llama.cpp's test vocabularies (models/ggml-vocab-*.gguf, too big to commit) from the
# llama-cpp-python source distribution on PyPI and prints the folder to export as
# BATON_LLAMA_VOCABS, which TokenizerLlamaVocabTests reads.
#   export BATON_LLAMA_VOCABS="$(bash Tests/RuntimeTests/Fixtures/fetch_llama_vocabs.sh [DIR])"
set -euo pipefail
dir="${1:-${TMPDIR:-/tmp}/baton-llama-vocabs}"
version=0.3.36
mkdir -p "$dir"
if ! ls "$dir"/ggml-vocab-*.gguf >/dev/null 2>&1; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    python3 -m pip download --quiet --no-deps --no-binary llama-cpp-python "llama-cpp-python==$version" -d "$work" >&2
    tar -xzf "$work"/llama_cpp_python-"$version".tar.gz -C "$work" --wildcards '*/vendor/llama.cpp/models/ggml-vocab-*.gguf'
    cp "$work"/llama_cpp_python-"$version"/vendor/llama.cpp/models/ggml-vocab-*.gguf "$dir"/
fi
echo "$dir"

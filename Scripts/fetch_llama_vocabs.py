#!/usr/bin/env python3
"""Test set-up: llama.cpp's own test vocabularies (ggml-vocab-*.gguf) for the tokenizer tests.

They ship in the llama-cpp-python 0.3.36 source distribution on PyPI (vendor/llama.cpp/models),
which is too big to commit and which pip does not keep after building the wheel. This fetches that
sdist from PyPI once, checks its published SHA-256, and extracts only the vocabularies the tests
read into the folder given (Scripts/setup-test-tools.sh passes ~/.baton/llama-vocabs).
"""
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request

VERSION = "0.3.36"
SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
NAMES = ["gpt-2", "llama-bpe", "qwen2", "refact", "starcoder", "command-r", "mpt", "llama-spm", "phi-3"]


def sdist_url():
    request = urllib.request.Request("https://pypi.org/simple/llama-cpp-python/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        files = json.load(response)["files"]
    wanted = f"llama_cpp_python-{VERSION}.tar.gz"
    for entry in files:
        if entry["filename"] == wanted:
            return entry["url"]
    sys.exit(f"fetch_llama_vocabs: {wanted} is not listed on PyPI")


def main():
    target = sys.argv[1]
    with urllib.request.urlopen(sdist_url(), timeout=600) as response:
        data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        sys.exit(f"fetch_llama_vocabs: sha256 {digest} differs from the published {SHA256}")
    os.makedirs(target, exist_ok=True)
    prefix = f"llama_cpp_python-{VERSION}/vendor/llama.cpp/models/"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for name in NAMES:
            member = archive.getmember(prefix + f"ggml-vocab-{name}.gguf")
            source = archive.extractfile(member)
            partial = os.path.join(target, f"ggml-vocab-{name}.gguf.partial")
            with open(partial, "wb") as out:
                out.write(source.read())
            os.replace(partial, os.path.join(target, f"ggml-vocab-{name}.gguf"))


if __name__ == "__main__":
    main()

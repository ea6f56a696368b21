import Testing
@testable import Template

/// `tojson` writes what jinja2 writes; `tojson(ensure_ascii=false)` keeps Korean readable, as
/// jinja2 does under the policy `json.dumps_kwargs = {'sort_keys': True, 'ensure_ascii': False}`.
/// The expected texts were printed by jinja2 3.1 (Python 3.11) with and without that policy.
@Suite struct TemplateJSONTests {
    @Test(arguments: [
        ("{{ {'b': '<한글> 🎉', 'a': [1, 2.5, none], '키': '\"값\"'} | tojson }}",
         #"{"a": [1, 2.5, null], "b": "\u003c\ud55c\uae00\u003e \ud83c\udf89", "\ud0a4": "\"\uac12\""}"#),
        ("{{ {'b': '<한글> 🎉', 'a': [1, 2.5, none], '키': '\"값\"'} | tojson(ensure_ascii=false) }}",
         #"{"a": [1, 2.5, null], "b": "\u003c한글\u003e 🎉", "키": "\"값\""}"#),
        ("{{ {'b': '한글', 'a': [1]} | tojson(indent=2, ensure_ascii=false) }}",
         "{\n  \"a\": [\n    1\n  ],\n  \"b\": \"한글\"\n}"),
        ("{{ '한글' | tojson(ensure_ascii=true) }}", #""\ud55c\uae00""#),
    ])
    func tojsonMatchesJinja2WithAndWithoutEnsureASCII(source: String, expected: String) throws {
        #expect(try Template(source, name: "j.j2").render([:]) == expected)
    }
}

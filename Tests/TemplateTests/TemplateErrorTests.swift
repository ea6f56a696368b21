import Testing
import Template

/// A template that must fail, the context it renders with, and the whole expected message.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var source: String
    var context: [String: Value] = [:]
    var undefined: Template.UndefinedBehavior = .strict
    var expected: String
    var testDescription: String { expected }
}

/// Every syntax error is found by `Template.init`, before anything renders.
let syntaxErrors: [ErrorCase] = [
    ErrorCase(source: "Hello {{ name", expected: "p.j2:1:7: error: unterminated '{{': expected '}}' before the end of the template"),
    ErrorCase(source: "{% if x ", expected: "p.j2:1:1: error: unterminated '{%': expected '%}' before the end of the template"),
    ErrorCase(source: "{{ a {{ b }}", expected: "p.j2:1:1: error: unterminated '{{': expected '}}' before the next tag"),
    ErrorCase(source: "{{ x|uper }}", expected: "p.j2:1:6: error: unknown filter 'uper' (did you mean 'upper'?)"),
    ErrorCase(source: "{{ x|frobnicate }}", expected: "p.j2:1:6: error: unknown filter 'frobnicate'"),
    ErrorCase(source: "line1\n{% if x %}yes", expected: "p.j2:2:1: error: unclosed '{% if %}': expected '{% elif %}' or '{% else %}' or '{% endif %}' before the end of the template"),
    ErrorCase(source: "{% for x in y %}{{ x }}", expected: "p.j2:1:1: error: unclosed '{% for %}': expected '{% else %}' or '{% endfor %}' before the end of the template"),
    ErrorCase(source: "text {% endfor %}", expected: "p.j2:1:6: error: unexpected '{% endfor %}': no open block to close"),
    ErrorCase(source: "{% for x in y %}{% endif %}", expected: "p.j2:1:17: error: unexpected '{% endif %}' inside '{% for %}' (opened at 1:1): expected '{% else %}' or '{% endfor %}'"),
    ErrorCase(source: "{% if true %}{% else %}{% else %}{% endif %}", expected: "p.j2:1:24: error: unexpected '{% else %}' inside '{% if %}' (opened at 1:1): expected '{% endif %}'"),
    ErrorCase(source: "{% else %}", expected: "p.j2:1:1: error: unexpected '{% else %}': no open block to close"),
    ErrorCase(source: "{{ 1 + }}", expected: "p.j2:1:8: error: unexpected '}}', expected an expression"),
    ErrorCase(source: "{{ }}", expected: "p.j2:1:4: error: unexpected '}}', expected an expression"),
    ErrorCase(source: "{{ a b }}", expected: "p.j2:1:6: error: unexpected 'b', expected '}}'"),
    ErrorCase(source: "{% for %}", expected: "p.j2:1:8: error: unexpected '%}', expected a name"),
    ErrorCase(source: "{% frobnicate %}", expected: "p.j2:1:4: error: unknown tag 'frobnicate'"),
    ErrorCase(source: "{% fro x %}", expected: "p.j2:1:4: error: unknown tag 'fro' (did you mean 'for'?)"),
    ErrorCase(source: "a {# comment", expected: "p.j2:1:3: error: unterminated comment: '{#' is never closed with '#}'"),
    ErrorCase(source: "{{ 'abc }}", expected: "p.j2:1:4: error: unterminated string literal"),
    ErrorCase(source: "{{ x @ y }}", expected: "p.j2:1:6: error: unexpected character '@'"),
    ErrorCase(source: "{{ x is defnied }}", expected: "p.j2:1:9: error: unknown test 'defnied' (did you mean 'defined'?)"),
    ErrorCase(source: "{% raw %}never closed", expected: "p.j2:1:1: error: unterminated '{% raw %}': missing '{% endraw %}'"),
    ErrorCase(source: "제목\n  {{ 이름 | 대문자 }}", expected: "p.j2:2:11: error: unknown filter '대문자'"),
]

/// Errors only rendering can find: undefined names, bad operands, `raise_exception`.
let renderErrors: [ErrorCase] = [
    ErrorCase(source: "안녕 {{ usr.name }}", context: ["user": ["name": "민지"]], expected: "p.j2:1:7: error: 'usr' is undefined (did you mean 'user'?)"),
    ErrorCase(source: "{{ user.nmae }}", context: ["user": ["name": "민지"]], expected: "p.j2:1:8: error: 'user' has no attribute 'nmae' (did you mean 'name'?)"),
    ErrorCase(source: "{{ steps.copy.outptu }}", context: ["steps": ["copy": ["output": "x"]]], expected: "p.j2:1:14: error: 'steps.copy' has no attribute 'outptu' (did you mean 'output'?)"),
    ErrorCase(source: "{{ inputs['brief'] }}", context: ["inputs": ["brand": "x"]], expected: "p.j2:1:10: error: 'inputs' has no attribute 'brief'"),
    ErrorCase(source: "{% set x = 1 %}{{ y }}", expected: "p.j2:1:19: error: 'y' is undefined (did you mean 'x'?)"),
    ErrorCase(source: "{% for item in items %}{{ itme }}{% endfor %}", context: ["items": [1]], expected: "p.j2:1:27: error: 'itme' is undefined (did you mean 'item'?)"),
    ErrorCase(source: "{% if missing %}x{% endif %}", expected: "p.j2:1:7: error: 'missing' is undefined"),
    ErrorCase(source: "{% for x in missing %}{% endfor %}", expected: "p.j2:1:13: error: 'missing' is undefined"),
    ErrorCase(source: "{{ missing.attr }}", undefined: .lenient, expected: "p.j2:1:4: error: 'missing' is undefined"),
    ErrorCase(source: "{{ missing + 1 }}", undefined: .lenient, expected: "p.j2:1:4: error: 'missing' is undefined"),
    ErrorCase(source: "{{ [1][5] }}", expected: "p.j2:1:7: error: 'list object' has no element 5"),
    ErrorCase(source: "{{ []|first }}", expected: "p.j2:1:7: error: No first item, sequence was empty."),
    ErrorCase(source: "a\n  {{ raise_exception('사용자 메시지가 필요합니다') }}", expected: "p.j2:2:21: error: 사용자 메시지가 필요합니다"),
    ErrorCase(source: "{{ 1 / 0 }}", expected: "p.j2:1:6: error: division by zero"),
    ErrorCase(source: "{{ 'a' + 1 }}", expected: "p.j2:1:8: error: unsupported operand type(s) for +: 'str' and 'int'"),
    ErrorCase(source: "{{ 1 < 'a' }}", expected: "p.j2:1:4: error: '<' not supported between instances of 'int' and 'str'"),
    ErrorCase(source: "{% for x in 5 %}{% endfor %}", expected: "p.j2:1:1: error: 'int' object is not iterable"),
    ErrorCase(source: "{{ 5|length }}", expected: "p.j2:1:6: error: object of type 'int' has no len()"),
    ErrorCase(source: "{{ '%d' % 'x' }}", expected: "p.j2:1:9: error: %d format: a real number is required, not str"),
    ErrorCase(source: "{{ 9223372036854775807 + 1 }}", expected: "p.j2:1:24: error: integer overflow in +"),
    ErrorCase(source: "{{ range(1000000)|length }}", expected: "p.j2:1:9: error: range too big (1000000 items; the limit is 100000)"),
]

@Test(arguments: syntaxErrors)
func syntaxErrorIsReportedAtParse(_ c: ErrorCase) {
    #expect(throws: TemplateError.self) { try Template(c.source, name: "p.j2") }
    do {
        _ = try Template(c.source, name: "p.j2")
    } catch {
        #expect(error.description == c.expected)
    }
}

@Test(arguments: renderErrors)
func renderErrorNamesItsLocation(_ c: ErrorCase) throws {
    let template = try Template(c.source, name: "p.j2", undefined: c.undefined)
    do {
        let output = try template.render(c.context)
        Issue.record("rendered \(output.debugDescription) instead of failing")
    } catch {
        #expect(error.description == c.expected)
    }
}

@Test func errorCarriesItsParts() {
    do {
        _ = try Template("\n\n   {{ x|uper }}", name: "campaign.yaml#steps.copy.prompt")
    } catch {
        #expect(error == TemplateError(name: "campaign.yaml#steps.copy.prompt", line: 3, column: 9, message: "unknown filter 'uper' (did you mean 'upper'?)"))
    }
}

/// Input built to exhaust the stack is refused with an error, never a crash.
let oversizedInputs: [ErrorCase] = [
    ErrorCase(source: String(repeating: "{% if true %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000),
              expected: "p.j2:1:1301: error: blocks nested deeper than 100 levels"),
    ErrorCase(source: "{{ " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " }}",
              expected: "p.j2:1:68: error: expression nested deeper than 64 levels"),
    ErrorCase(source: "{{ a" + String(repeating: " ~ a", count: 5_000) + " }}",
              expected: "p.j2:1:4004: error: expression too large (more than 1000 parts in one tag)"),
    ErrorCase(source: "{{ x" + String(repeating: "|upper", count: 5_000) + " }}",
              expected: "p.j2:1:6000: error: expression too large (more than 1000 parts in one tag)"),
]

@Test(arguments: oversizedInputs)
func oversizedInputIsRefused(_ c: ErrorCase) {
    do {
        _ = try Template(c.source, name: "p.j2")
        Issue.record("parsed \(c.source.count) characters of nesting")
    } catch {
        #expect(error.description == c.expected)
    }
}

@Test func largeTemplateRendersWhole() throws {
    let line = "한국어 문장과 {{ name }} 변수가 있는 줄입니다.\n"
    let source = String(repeating: line, count: 20_000)
    let output = try Template(source).render(["name": "배턴"])
    #expect(output == String(repeating: "한국어 문장과 배턴 변수가 있는 줄입니다.\n", count: 20_000).dropLast())
}

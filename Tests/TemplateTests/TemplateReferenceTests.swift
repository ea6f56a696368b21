import Testing
import Template

@Test func referencesAreFreeVariablePaths() throws {
    let template = try Template("""
        {% set n = 1 %}{{ steps.copy.output|upper }} {{ inputs['brief'] }}
        {% for s in sections %}{{ s.title }}{{ loop.index }}{{ n }}{% endfor %}
        {{ steps.summary.output.strip() }} {{ range(3)|list }} {{ raise_exception('x') if false }}
        {{ d.items()|list }} {{ x[0].y }} {{ inputs.tone|default('친근함') }} {{ 'a' ~ models.main }}
        """)
    #expect(template.references == [
        TemplateReference(path: ["steps", "copy", "output"], line: 1, column: 19),
        TemplateReference(path: ["inputs", "brief"], line: 1, column: 49),
        TemplateReference(path: ["sections"], line: 2, column: 13),
        TemplateReference(path: ["steps", "summary", "output"], line: 3, column: 4),
        TemplateReference(path: ["d"], line: 4, column: 4),
        TemplateReference(path: ["x"], line: 4, column: 25),
        TemplateReference(path: ["inputs", "tone"], line: 4, column: 38),
        TemplateReference(path: ["models", "main"], line: 4, column: 77),
    ])
}

@Test func setAndLoopVariablesAreNotReferences() throws {
    let template = try Template("""
        {% for k, v in pairs %}{{ k }}{{ v }}{% endfor %}{% set ns = namespace(a=1) %}{% set ns.a = other %}{{ ns.a }}
        {% set body %}{{ inner }}{% endset %}{{ body }}{{ loop_var_outside }}
        """)
    #expect(template.references.map(\.path) == [["pairs"], ["other"], ["inner"], ["loop_var_outside"]])
}

@Test func loopVariablesDoNotLeak() throws {
    let template = try Template("{% for item in items %}{{ item }}{% endfor %}{{ item }}")
    #expect(template.references.map(\.path) == [["items"], ["item"]])
}

@Test func macroParametersAreNotReferences() throws {
    let template = try Template("{% macro row(item, unit=default_unit) %}{{ item.name }}{{ unit }}{{ currency }}{% endmacro %}{{ row(first) }}")
    #expect(template.references.map(\.path) == [["default_unit"], ["currency"], ["first"]])
}

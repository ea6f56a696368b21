import Testing
@testable import Workflow

/// A broken workflow and the whole diagnostic text the loader must print for it.
struct BrokenWorkflow: Sendable, CustomTestStringConvertible {
    var name: String
    var source: String
    var expected: String

    init(_ name: String, source: String, expected: String) {
        self.name = name
        self.source = source + "\n"
        self.expected = expected
    }

    var testDescription: String { name }
}

/// Every broken workflow below is reported in full (message, source line, caret), all problems
/// at once, sorted by position. The file is always named `broken.yaml`.
let brokenWorkflows: [BrokenWorkflow] = [
    BrokenWorkflow("emptyFile", source: #"""

            """#, expected: #"""
            broken.yaml:1:1: error: empty file: expected a YAML document
            """#),
    BrokenWorkflow("tabIndentation", source: #"""
            baton: 1
            name: t
            steps:
            	- id: a
            """#, expected: #"""
            broken.yaml:4:1: error: tab character in indentation (YAML indents with spaces only)
            	- id: a
            ^
            """#),
    BrokenWorkflow("unclosedQuote", source: #"""
            baton: 1
            name: t
            steps:
              - id: "a
                kind: template
            """#, expected: #"""
            broken.yaml:4:9: error: unclosed quoted string: the quote opened here is never closed (the file ends at 6:1)
              - id: "a
                    ^
            """#),
    BrokenWorkflow("unknownTopKey", source: #"""
            baton: 1
            name: t
            stepz: []
            steps:
              - { id: a, kind: template, template: x }
            """#, expected: #"""
            broken.yaml:3:1: error: unknown key 'stepz' in the workflow (did you mean 'steps'?)
            stepz: []
            ^
            """#),
    BrokenWorkflow("unknownStepKey", source: #"""
            baton: 1
            name: t
            steps:
              - id: copy
                kind: generate
                prompt: hi
                tmperature: 0.5
            """#, expected: #"""
            broken.yaml:7:5: error: unknown key 'tmperature' in step 'copy' (did you mean 'temperature'?)
                tmperature: 0.5
                ^
            """#),
    BrokenWorkflow("wrongTypes", source: #"""
            baton: 1
            name: t
            steps:
              - id: copy
                kind: generate
                prompt: hi
                temperature: hot
                max_tokens: [1]
                top_p: 1.5
            """#, expected: #"""
            broken.yaml:7:18: error: expected a number for 'temperature', found 'hot'
                temperature: hot
                             ^
            broken.yaml:8:17: error: expected an integer for 'max_tokens', found a list
                max_tokens: [1]
                            ^
            broken.yaml:9:12: error: 'top_p' must be between 0 and 1, found 1.5
                top_p: 1.5
                       ^
            """#),
    BrokenWorkflow("cycle", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: "{{ steps.b.output }}"
              - id: b
                kind: template
                template: "{{ steps.a.output }}"
            """#, expected: #"""
            broken.yaml:4:9: error: dependency cycle: a -> b -> a (each step needs the next)
              - id: a
                    ^
            """#),
    BrokenWorkflow("longCycle", source: #"""
            baton: 1
            name: t
            steps:
              - { id: draft, kind: template, template: "{{ steps.review.output }}" }
              - { id: edit, kind: template, template: "{{ steps.draft.output }}" }
              - { id: review, kind: template, template: x, needs: [edit] }
            """#, expected: #"""
            broken.yaml:4:11: error: dependency cycle: draft -> review -> edit -> draft (each step needs the next)
              - { id: draft, kind: template, template: "{{ steps.review.output }}" }
                      ^
            """#),
    BrokenWorkflow("unterminatedExpression", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: "안녕 {{ inputs.name"
            """#, expected: #"""
            broken.yaml:6:19: error: unterminated '{{': expected '}}' before the end of the template
                template: "안녕 {{ inputs.name"
                                ^
            """#),
    BrokenWorkflow("unterminatedTag", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: |
                  첫 줄
                  {% if true
            """#, expected: #"""
            broken.yaml:8:7: error: unterminated '{%': expected '%}' before the end of the template
                  {% if true
                  ^
            """#),
    BrokenWorkflow("unknownFilter", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: |
                  제목: {{ "봄" | upperr }}
            """#, expected: #"""
            broken.yaml:7:20: error: unknown filter 'upperr' (did you mean 'upper'?)
                  제목: {{ "봄" | upperr }}
                                  ^
            """#),
    BrokenWorkflow("unbalancedIf", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: |
                  {% if true %}
                  열린 채로 끝
            """#, expected: #"""
            broken.yaml:7:7: error: unclosed '{% if %}': expected '{% elif %}' or '{% else %}' or '{% endif %}' before the end of the template
                  {% if true %}
                  ^
            """#),
    BrokenWorkflow("badDurations", source: #"""
            baton: 1
            name: t
            defaults: { timeout: 2 minutes }
            steps:
              - id: a
                kind: generate
                prompt: hi
                retry: { attempts: 3, backoff: 2x }
            """#, expected: #"""
            broken.yaml:3:22: error: invalid duration '2 minutes' for 'timeout' (write e.g. 500ms, 30s, 2m, 1h30m)
            defaults: { timeout: 2 minutes }
                                 ^
            broken.yaml:8:36: error: invalid duration '2x' for 'backoff' (write e.g. 500ms, 30s, 2m, 1h30m)
                retry: { attempts: 3, backoff: 2x }
                                               ^
            """#),
    BrokenWorkflow("invalidCron", source: #"""
            baton: 1
            name: t
            steps:
              - { id: a, kind: template, template: x }
            schedules:
              - { cron: "0 9 * * MONDAY", timezone: Asia/Seoul }
            """#, expected: #"""
            broken.yaml:6:22: error: invalid cron expression '0 9 * * MONDAY': unknown day-of-week name 'MONDAY' (use 0-7 or SUN-SAT)
              - { cron: "0 9 * * MONDAY", timezone: Asia/Seoul }
                                 ^
            """#),
    BrokenWorkflow("enumDefault", source: #"""
            baton: 1
            name: t
            inputs:
              tone: { type: enum, values: [friendly, formal], default: angry }
            steps:
              - { id: a, kind: template, template: x }
            """#, expected: #"""
            broken.yaml:4:60: error: default of input 'tone' must be one of friendly, formal, found 'angry'
              tone: { type: enum, values: [friendly, formal], default: angry }
                                                                       ^
            """#),
    BrokenWorkflow("unknownKind", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: genrate
                prompt: hi
            """#, expected: #"""
            broken.yaml:5:11: error: unknown step kind 'genrate' (expected generate, summarize, translate, extract, rag_query, template, read, write, review) (did you mean 'generate'?)
                kind: genrate
                      ^
            """#),
    BrokenWorkflow("badVersion", source: #"""
            baton: 2
            name: t
            steps:
              - { id: a, kind: template, template: x }
            """#, expected: #"""
            broken.yaml:1:8: error: unsupported workflow language version '2' (this Baton reads 'baton: 1')
            baton: 2
                   ^
            """#),
    BrokenWorkflow("missingVersion", source: #"""
            name: t
            steps:
              - { id: a, kind: template, template: x }
            """#, expected: #"""
            broken.yaml:1:1: error: missing required key 'baton' (the language version: write 'baton: 1' first)
            name: t
            ^
            """#),
    BrokenWorkflow("duplicateStep", source: #"""
            baton: 1
            name: t
            steps:
              - { id: a, kind: template, template: x }
              - { id: a, kind: template, template: y }
            """#, expected: #"""
            broken.yaml:5:11: error: duplicate step id 'a' (first defined at line 4)
              - { id: a, kind: template, template: y }
                      ^
            """#),
    BrokenWorkflow("unknownReferences", source: #"""
            baton: 1
            name: t
            inputs:
              product: { type: string }
            knowledge:
              brand: { path: brand.db }
            models:
              writer: { provider: local, path: m.gguf }
            steps:
              - id: summary
                kind: template
                template: "{{ inputs.prodct }}"
              - id: copy
                kind: generate
                model: writr
                prompt: "{{ steps.sumary.output }} {{ steps.summary.outptu }}"
              - id: research
                kind: rag_query
                knowledge: brnd
                query: x
            """#, expected: #"""
            broken.yaml:12:19: error: step 'summary' reads unknown input 'prodct' (did you mean 'product'?)
                template: "{{ inputs.prodct }}"
                              ^
            broken.yaml:15:12: error: step 'copy' uses unknown model 'writr' (did you mean 'writer'?)
                model: writr
                       ^
            broken.yaml:16:17: error: step 'copy' reads unknown step 'sumary' (did you mean 'summary'?)
                prompt: "{{ steps.sumary.output }} {{ steps.summary.outptu }}"
                            ^
            broken.yaml:16:43: error: step 'copy' reads unknown field 'outptu' of step 'summary' (it has output, status) (did you mean 'output'?)
                prompt: "{{ steps.sumary.output }} {{ steps.summary.outptu }}"
                                                      ^
            broken.yaml:19:16: error: step 'research' uses unknown knowledge base 'brnd' (did you mean 'brand'?)
                knowledge: brnd
                           ^
            """#),
    BrokenWorkflow("unknownNeeds", source: #"""
            baton: 1
            name: t
            steps:
              - { id: a, kind: template, template: x, needs: [b] }
            """#, expected: #"""
            broken.yaml:4:51: error: step 'a' needs unknown step 'b'
              - { id: a, kind: template, template: x, needs: [b] }
                                                              ^
            """#),
    BrokenWorkflow("blockScalarError", source: #"""
            baton: 1
            name: t
            steps:
              - id: copy
                kind: generate
                prompt: |
                  톤: {{ inputs.tone }}
                  제품: {{ product }}
            """#, expected: #"""
            broken.yaml:7:13: error: step 'copy' reads unknown input 'tone'
                  톤: {{ inputs.tone }}
                         ^
            broken.yaml:8:14: error: step 'copy' reads unknown name 'product'
                  제품: {{ product }}
                           ^
            """#),
    BrokenWorkflow("quotedEscapes", source: #"""
            baton: 1
            name: t
            inputs:
              name: string
            steps:
              - id: a
                kind: template
                template: "\"인사\" {{ inputs.nmae }}"
            """#, expected: #"""
            broken.yaml:8:26: error: step 'a' reads unknown input 'nmae' (did you mean 'name'?)
                template: "\"인사\" {{ inputs.nmae }}"
                                       ^
            """#),
    BrokenWorkflow("foldedScalar", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: >-
                  {%- set x = 1 -%}
                  {{ y }}
            """#, expected: #"""
            broken.yaml:8:10: error: step 'a' reads unknown name 'y'
                  {{ y }}
                     ^
            """#),
    BrokenWorkflow("notAMapping", source: #"""
            - a
            - b
            """#, expected: #"""
            broken.yaml:1:1: error: expected a mapping for the workflow, found a list
            - a
            ^
            """#),
    BrokenWorkflow("stepsMissing", source: #"""
            baton: 1
            name: t
            """#, expected: #"""
            broken.yaml:1:1: error: missing required key 'steps' (the list of steps to run)
            baton: 1
            ^
            """#),
    BrokenWorkflow("promptAndMessages", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: generate
                prompt: hi
                messages: [{ role: user, content: hi }]
            """#, expected: #"""
            broken.yaml:7:5: error: step 'a' has both 'prompt' and 'messages': write one
                messages: [{ role: user, content: hi }]
                ^
            """#),
    BrokenWorkflow("samplingOnTemplate", source: #"""
            baton: 1
            name: t
            steps:
              - { id: a, kind: template, template: x, temperature: 0 }
            """#, expected: #"""
            broken.yaml:4:43: error: 'temperature' does not apply to step 'a' (a template step calls no model)
              - { id: a, kind: template, template: x, temperature: 0 }
                                                      ^
            """#),
    BrokenWorkflow("badStepId", source: #"""
            baton: 1
            name: t
            steps:
              - { id: press-en, kind: template, template: x }
            """#, expected: #"""
            broken.yaml:4:11: error: step id 'press-en' is not a valid name: use letters, digits and '_' so templates can read steps.press_en.output
              - { id: press-en, kind: template, template: x }
                      ^
            """#),
    BrokenWorkflow("scheduleInputs", source: #"""
            baton: 1
            name: t
            inputs:
              week: { type: integer }
            steps:
              - { id: a, kind: template, template: "{{ inputs.week }}" }
            schedules:
              - { cron: "@weekly", inputs: { wek: 3 } }
              - { cron: "@daily", inputs: { week: soon } }
            """#, expected: #"""
            broken.yaml:8:5: error: schedule 'schedule-1' does not give required input 'week'
              - { cron: "@weekly", inputs: { wek: 3 } }
                ^
            broken.yaml:8:34: error: schedule 'schedule-1' gives unknown input 'wek' (did you mean 'week'?)
              - { cron: "@weekly", inputs: { wek: 3 } }
                                             ^
            broken.yaml:9:39: error: input 'week' of schedule 'schedule-2' must be an integer, found 'soon'
              - { cron: "@daily", inputs: { week: soon } }
                                                  ^
            """#),
    BrokenWorkflow("extractSchemaField", source: #"""
            baton: 1
            name: t
            steps:
              - id: facts
                kind: extract
                text: x
                schema: { slogans: [string], body: string }
              - id: use
                kind: template
                template: "{{ steps.facts.output.slogns }}"
            """#, expected: #"""
            broken.yaml:10:19: error: step 'use' reads unknown field 'slogns' of the output of step 'facts' (its schema has slogans, body) (did you mean 'slogans'?)
                template: "{{ steps.facts.output.slogns }}"
                              ^
            """#),
    BrokenWorkflow("forEachScope", source: #"""
            baton: 1
            name: t
            steps:
              - id: a
                kind: template
                template: "{{ item }}"
              - id: b
                kind: template
                for_each: [1, 2]
                template: "{{ item }} {{ index }}"
            """#, expected: #"""
            broken.yaml:6:19: error: step 'a' reads unknown name 'item'
                template: "{{ item }}"
                              ^
            """#),
    BrokenWorkflow("severalModels", source: #"""
            baton: 1
            name: t
            models:
              a: { provider: local, path: a.gguf }
              b: { provider: openai, base_url: localhost:8080, model: m }
            steps:
              - { id: s, kind: generate, prompt: hi }
            """#, expected: #"""
            broken.yaml:5:36: error: 'base_url' must start with http:// or https://, found 'localhost:8080'
              b: { provider: openai, base_url: localhost:8080, model: m }
                                               ^
            broken.yaml:7:11: error: step 's' does not say which model to use: set 'model' on the step or in 'defaults' (declared: a, b)
              - { id: s, kind: generate, prompt: hi }
                      ^
            """#),
]

@Test(arguments: brokenWorkflows)
func brokenWorkflowIsReported(_ broken: BrokenWorkflow) {
    #expect(throws: WorkflowDiagnostics.self) { try WorkflowLoader.load(source: broken.source, file: "broken.yaml") }
    do {
        _ = try WorkflowLoader.load(source: broken.source, file: "broken.yaml")
    } catch {
        #expect(error.description == broken.expected)
    }
}

import Base
import Foundation
import Testing
import Template

/// Issue 18, item 1: no template, however written, traps or runs away. The adversarial corpus
/// (`Fixtures/adversarial.json`, also run through the real binary by `AdversarialTemplateCLITests`)
/// and 1,400 seeded mutations of the jinja2 fixtures render in-process under a small budget: each
/// ends with a result or a `TemplateError` at a line:column, in well under the budget's time.
@Suite("Template hardening")
struct TemplateHardeningTests {
    /// Small enough that every runaway template stops in a fraction of a second.
    static let budget = RenderBudget(outputBytes: 1 << 20, items: 100_000, steps: 200_000, seconds: 1)

    @Test("100 adversarial templates end with a result or an error at line:column, within the budget")
    func adversarialTemplates() throws {
        let cases = try AdversarialTemplate.load()
        #expect(cases.count >= 76)
        var results = 0, errors = 0
        for c in cases {
            let start = ContinuousClock.now
            do {
                let output = try Template(c.source, name: "case.j2").render(["x": .dict(ValueDictionary())], budget: Self.budget)
                #expect(output.utf8.count <= Self.budget.outputBytes, "\(c.name)")
                results += 1
            } catch {
                #expect(error.line >= 1 && error.column >= 1, "\(c.name): \(error)")
                #expect(error.description.hasPrefix("case.j2:\(error.line):\(error.column): error: "), "\(c.name)")
                errors += 1
            }
            let elapsed = ContinuousClock.now - start
            #expect(elapsed < .seconds(Self.budget.seconds + 3), "\(c.name) took \(elapsed)")
        }
        print("adversarial templates in-process: \(results) results, \(errors) clean errors")
    }

    @Test("the budget's error names the tag that spent it and the workflow setting")
    func budgetErrorsNameTheTag() throws {
        let cases: [(String, String)] = [
            ("a\n{{ 'a' * 10**10 }}", "t.j2:2:8: error: '*' exceeds the render budget: a string of 10000000000 bytes is larger than the render budget allows (1048576 bytes, defaults.render_budget.output_bytes)"),
            ("{% for i in range(10) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "more than 20000 loop iterations and macro calls (defaults.render_budget.steps)"),
            ("{{ (-9223372036854775807 - 1) // -1 }}", "t.j2:1:"),
            ("{{ '%1000000000d' % 1 }}", "larger than the render budget allows (1048576 bytes)"),
        ]
        // A generous time limit, so that only the limit each case names can be the one hit.
        let budget = RenderBudget(outputBytes: 1 << 20, items: 100_000, steps: 20_000, seconds: 60)
        for (source, expected) in cases {
            #expect(throws: TemplateError.self) { try Template(source, name: "t.j2").render([:], budget: budget) }
            do {
                _ = try Template(source, name: "t.j2").render([:], budget: budget)
            } catch {
                #expect(error.description.contains(expected), "\(source): \(error.description)")
            }
        }
    }

    @Test("a task's RenderBudget.current bounds renders that name no budget")
    func taskBudgetApplies() throws {
        let template = try Template("{{ 'x' * 2000 }}", name: "t.j2")
        #expect(try template.render([:]).count == 2000)
        let small = RenderBudget(outputBytes: 1000)
        #expect(throws: TemplateError.self) { try RenderBudget.$current.withValue(small) { try template.render([:]) } }
    }

    @Test("1,400 seeded mutations of the jinja2 fixtures: a result or an error at line:column, none past the budget")
    func mutatedFixtures() throws {
        let seeds = try JinjaCase.load()
        #expect(seeds.count >= 150)
        var generator = TemplateMutator(seed: 18)
        var results = 0, parseErrors = 0, renderErrors = 0
        var slowest: Duration = .zero
        for n in 0..<1400 {
            let seed = seeds[n % seeds.count]
            let source = generator.mutate(seed.template)
            let start = ContinuousClock.now
            do {
                let template = try Template(source, name: "m.j2", undefined: seed.lenient ? .lenient : .strict)
                do {
                    _ = try template.render(seed.context, budget: Self.budget)
                    results += 1
                } catch {
                    #expect(error.line >= 1 && error.column >= 1, "\(source.debugDescription): \(error)")
                    renderErrors += 1
                }
            } catch {
                #expect(error.line >= 1 && error.column >= 1, "\(source.debugDescription): \(error)")
                parseErrors += 1
            }
            let elapsed = ContinuousClock.now - start
            slowest = max(slowest, elapsed)
            #expect(elapsed < .seconds(Self.budget.seconds + 3), "\(source.debugDescription) took \(elapsed)")
        }
        print("mutated templates: \(results) results, \(parseErrors) parse errors, \(renderErrors) render errors, slowest \(slowest)")
        #expect(results + parseErrors + renderErrors == 1400)
    }
}

/// One template of `Fixtures/adversarial.json`, its `{repeat, times}` parts expanded.
struct AdversarialTemplate: Sendable {
    var name: String
    var source: String

    static func load() throws -> [AdversarialTemplate] {
        guard let url = Bundle.module.url(forResource: "adversarial", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        guard case .dict(let root) = try Value(json: Data(contentsOf: url)), case .list(let cases)? = root["cases"] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return try cases.map { item in
            guard case .dict(let c) = item, case .string(let name)? = c["name"], let template = c["template"] else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return AdversarialTemplate(name: name, source: try expand(template))
        }
    }

    static func expand(_ value: Value) throws -> String {
        switch value {
        case .string(let s): return s
        case .list(let parts): return try parts.map(expand).joined()
        case .dict(let part):
            guard case .string(let text)? = part["repeat"], case .int(let times)? = part["times"] else { throw CocoaError(.fileReadCorruptFile) }
            return String(repeating: text, count: times)
        default: throw CocoaError(.fileReadCorruptFile)
        }
    }
}

/// Seeded mutations of a template: the kinds of damage and the kinds of hostile fragments a fuzzer
/// produces (tags cut or doubled, huge numbers spliced into arguments, slices repeated).
struct TemplateMutator {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    static let fragments = ["{{", "}}", "{%", "%}", "{#", "#}", "(", ")", "[", "]", "*", " * 10**10", "**", "//", "%", "-",
                            "9223372036854775807", "(-9223372036854775807 - 1)", "10**18", "|center(10**10)", "|indent(10**12)",
                            "|truncate(-1)", "|batch(10**9)", "range(10**9)", "'%1000000000d' % 1", ".replace('', 'x' * 10**6)",
                            "{% for i in range(10**6) %}", "{% endfor %}", "{% if x %}", "{% endif %}", "{% macro m() %}{{ m() }}{% endmacro %}",
                            "loop.index", "|join", "|tojson", "'", "\"", "\\", "\n", "한", "\u{0}", "|format(1)", ".format(1)"]

    /// A number in 0..<bound (0 when bound is 0), from SplitMix64.
    mutating func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(max(bound, 1))) }

    mutating func mutate(_ source: String) -> String {
        var scalars = Array(source.unicodeScalars)
        for _ in 0...next(3) {
            let at = next(scalars.count + 1)
            switch next(6) {
            case 0: scalars.insert(contentsOf: Self.fragments[next(Self.fragments.count)].unicodeScalars, at: at)
            case 1 where !scalars.isEmpty: scalars.removeSubrange(at..<min(scalars.count, at + 1 + next(8)))
            case 2 where !scalars.isEmpty:
                let end = min(scalars.count, at + 1 + next(24))
                if at < end { scalars.insert(contentsOf: Array(scalars[at..<end]), at: at) }
            case 3: scalars = Array(scalars.prefix(at))
            case 4 where at < scalars.count:
                scalars[at] = Unicode.Scalar(UInt8(32 + next(95)))
            default: scalars.insert(contentsOf: " * 10**10".unicodeScalars, at: at)
            }
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }
}

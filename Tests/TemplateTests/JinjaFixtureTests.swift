import Foundation
import Testing
import Template

/// One case of `Fixtures/cases.json`, written by `Fixtures/generate_jinja2.py` from Python Jinja2.
struct JinjaCase: Sendable, CustomTestStringConvertible {
    var name: String
    var template: String
    var context: [String: Value]
    var lenient: Bool
    var output: String?
    var error: String?
    var phase: String?
    var testDescription: String { name }

    static func load() throws -> [JinjaCase] {
        guard let url = Bundle.module.url(forResource: "cases", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        guard case .dict(let root) = try Value(json: Data(contentsOf: url)), case .list(let cases)? = root["cases"] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return cases.compactMap { item -> JinjaCase? in
            guard case .dict(let c) = item, case .string(let name)? = c["name"], case .string(let template)? = c["template"],
                  case .dict(let context)? = c["context"], case .string(let mode)? = c["undefined"] else { return nil }
            var plain: [String: Value] = [:]
            for (key, value) in zip(context.keys, context.values) { plain[key] = value }
            return JinjaCase(name: name, template: template, context: plain, lenient: mode == "lenient",
                             output: c["output"]?.string, error: c["error"]?.string, phase: c["phase"]?.string)
        }
    }
}

private let jinjaCases: [JinjaCase] = (try? JinjaCase.load()) ?? []

@Test func jinjaFixturesAreLoaded() {
    #expect(jinjaCases.count >= 150)
}

@Test(arguments: jinjaCases)
func rendersLikeJinja2(_ c: JinjaCase) throws {
    let parsed: Template
    do {
        parsed = try Template(c.template, name: "case", undefined: c.lenient ? .lenient : .strict)
    } catch {
        #expect(c.phase == "parse", "parse error \(error) where jinja2 gave \(c.output.map { "output \($0.debugDescription)" } ?? c.error ?? "")")
        return
    }
    #expect(c.phase != "parse", "parsed a template jinja2 rejects with \(c.error ?? "")")
    do {
        let rendered = try parsed.render(c.context)
        #expect(rendered == c.output, "jinja2 raised \(c.error ?? "nothing")")
    } catch {
        #expect(c.error != nil, "\(error)")
    }
}

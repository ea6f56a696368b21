import Foundation
import Testing
import TestSupport

/// `baton validate`, `render` and `graph` on the real binary.
private let workflowFiles: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: BatonProcess.repository.appendingPathComponent("Workflows").path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "Workflows/" + $0 }
}()

/// A scratch folder for files the tests write.
private func scratch() throws -> URL {
    let url = try TemporaryFolder.make("workflow-cli")
    return url
}

@Test func validateAcceptsEveryShippedWorkflow() throws {
    // The local model the workflows name is found in the model folder; the knowledge base is
    // built by 'baton ingest', so until then rag-answer gets a warning (still valid).
    let models = try scratch()
    try Data().write(to: models.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf"))
    let environment = ["BATON_MODELS": models.path]
    let result = try BatonProcess.run(["validate"] + workflowFiles, environment: environment, directory: BatonProcess.repository)
    #expect(result.status == 0, "\(result.stderr)")
    if FileManager.default.fileExists(atPath: BatonProcess.repository.appendingPathComponent(".baton/knowledge/agency.db").path) {
        #expect(result.stderr == "")
    } else {
        #expect(result.stderr.hasPrefix("Workflows/rag-answer.yaml:17:3: warning: knowledge base 'agency': no database '../.baton/knowledge/agency.db' yet (build it with 'baton ingest .baton/knowledge/agency.db Examples/knowledge')\n"), "\(result.stderr)")
        #expect(!result.stderr.contains(": error: "))
    }
    #expect(result.stdout.split(separator: "\n").count == workflowFiles.count)
    #expect(result.stdout.contains("Workflows/campaign-copy.yaml: ok (campaign-copy: 5 steps, 6 inputs)\n"))
    let folder = try BatonProcess.run(["validate", "Workflows"], environment: environment, directory: BatonProcess.repository)
    #expect(folder.status == 0)
    #expect(folder.stdout == result.stdout)
}

/// Broken workflows and the first line each must produce.
private let brokenFiles: [(name: String, source: String, expected: String)] = [
    ("cycle.yaml", "baton: 1\nname: c\nsteps:\n  - { id: a, kind: template, template: \"{{ steps.b.output }}\" }\n  - { id: b, kind: template, template: \"{{ steps.a.output }}\" }\n",
     "cycle.yaml:4:11: error: dependency cycle: a -> b -> a (each step needs the next)"),
    ("typo.yaml", "baton: 1\nname: t\nsteps:\n  - id: summary\n    kind: template\n    template: x\n  - id: copy\n    kind: generate\n    prompt: \"{{ steps.sumary.output }}\"\n",
     "typo.yaml:9:17: error: step 'copy' reads unknown step 'sumary' (did you mean 'summary'?)"),
    ("duration.yaml", "baton: 1\nname: d\ndefaults: { timeout: 2 minutes }\nsteps:\n  - { id: a, kind: template, template: x }\n",
     "duration.yaml:3:22: error: invalid duration '2 minutes' for 'timeout' (write e.g. 500ms, 30s, 2m, 1h30m)"),
    ("cron.yaml", "baton: 1\nname: c\nsteps:\n  - { id: a, kind: template, template: x }\nschedules:\n  - { cron: \"0 9 * * MONDAY\", timezone: Asia/Seoul }\n",
     "cron.yaml:6:22: error: invalid cron expression '0 9 * * MONDAY': unknown day-of-week name 'MONDAY' (use 0-7 or SUN-SAT)"),
    ("empty.yaml", "", "empty.yaml:1:1: error: empty file: expected a YAML document"),
]

@Test func validateReportsEachBrokenWorkflow() throws {
    let folder = try scratch()
    for broken in brokenFiles {
        try Data(broken.source.utf8).write(to: folder.appendingPathComponent(broken.name))
        let result = try BatonProcess.run(["validate", broken.name], directory: folder)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.split(separator: "\n").first.map(String.init) == broken.expected)
        #expect(result.stderr.hasSuffix("\(broken.name): 1 error\n"))
    }
    // One valid and one broken file: exit 1, the valid one still reported.
    let mixed = try BatonProcess.run(["validate", BatonProcess.repository.appendingPathComponent("Workflows/tagline-en.yaml").path, "cycle.yaml"], directory: folder)
    #expect(mixed.status == 1)
    #expect(mixed.stdout.contains("tagline-en.yaml: ok (tagline-en: 3 steps, 3 inputs"))
}

@Test func validatePrintsTheExpectedDiagnosticsOfEachBrokenFixture() throws {
    let folder = BatonProcess.repository.appendingPathComponent("Tests/WorkflowTests/Broken")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
    #expect(names.count >= 3)
    for name in names {
        let relative = "Tests/WorkflowTests/Broken/\(name)"
        let expected = try String(contentsOf: BatonProcess.repository.appendingPathComponent(relative.replacingOccurrences(of: ".yaml", with: ".expected")), encoding: .utf8)
        let result = try BatonProcess.run(["validate", relative], directory: BatonProcess.repository)
        #expect(result.status == 1)
        let count = expected.split(separator: "\n").filter { $0.contains(": error: ") }.count
        #expect(result.stderr == expected + "\(relative): \(count == 1 ? "1 error" : "\(count) errors")\n")
    }
}

@Test func validateJSON() throws {
    let folder = try scratch()
    try Data(brokenFiles[0].source.utf8).write(to: folder.appendingPathComponent("cycle.yaml"))
    let result = try BatonProcess.run(["validate", "--json", "cycle.yaml"], directory: folder)
    #expect(result.status == 1)
    #expect(result.stdout == """
        {
          "files" : [
            {
              "diagnostics" : [
                {
                  "column" : 11,
                  "file" : "cycle.yaml",
                  "line" : 4,
                  "message" : "dependency cycle: a -> b -> a (each step needs the next)"
                }
              ],
              "file" : "cycle.yaml",
              "valid" : false
            }
          ],
          "valid" : false
        }

        """)
}

@Test func usageErrorsExit64WithTheUsageLine() throws {
    let cases: [([String], String)] = [
        (["validate"], "error: 'baton validate' needs at least one FILE\nUSAGE: baton validate FILE|FOLDER... [--json]\n"),
        (["graph", "--format", "svg", "x.yaml"], "error: unknown format 'svg' (expected mermaid or dot)\nUSAGE: baton graph FILE [--format mermaid|dot]\n"),
        (["render"], "error: 'baton render' needs a workflow FILE or --template FILE\nUSAGE: baton render FILE"),
        (["render", "Workflows/tagline-en.yaml", "--input", "novalue"], "error: --input takes KEY=VALUE or KEY=@PATH, not 'novalue'\nUSAGE:"),
        (["validate", "--frobnicate", "x"], "error: unknown option '--frobnicate'\nUSAGE: baton validate"),
    ]
    for (arguments, expected) in cases {
        let result = try BatonProcess.run(arguments, directory: BatonProcess.repository)
        #expect(result.status == 64, "\(arguments)")
        #expect(result.stderr.hasPrefix(expected), "\(arguments): \(result.stderr)")
    }
}

@Test(arguments: ["validate", "render", "graph"])
func helpIsPrinted(_ command: String) throws {
    let result = try BatonProcess.run([command, "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("USAGE: baton \(command) "))
}

@Test func graphAndRenderWorkOnEveryWorkflow() throws {
    for file in workflowFiles {
        let mermaid = try BatonProcess.run(["graph", file], directory: BatonProcess.repository)
        #expect(mermaid.status == 0 && mermaid.stdout.hasPrefix("flowchart TD\n"), "\(file): \(mermaid.stderr)")
        let dot = try BatonProcess.run(["graph", "--format", "dot", file], directory: BatonProcess.repository)
        #expect(dot.status == 0 && dot.stdout.hasPrefix("digraph ") && dot.stdout.hasSuffix("}\n"), "\(file): \(dot.stderr)")
        let render = try BatonProcess.run(["render", file], directory: BatonProcess.repository)
        #expect(render.status == 0, "\(file): \(render.stderr)")
        #expect(render.stderr == "")
    }
}

@Test func graphPrintsTheDAG() throws {
    let result = try BatonProcess.run(["graph", "--format", "dot", "Workflows/campaign-copy.yaml"], directory: BatonProcess.repository)
    #expect(result.stdout == """
        digraph "campaign-copy" {
          rankdir=TB;
          node [shape=box, style=rounded, fontname="Helvetica"];
          "summary" [label="summary\\nsummarize"];
          "copy" [label="copy\\ngenerate"];
          "approval" [label="approval\\nreview"];
          "slogans" [label="slogans\\nextract"];
          "copy_en" [label="copy_en\\ntranslate · when"];
          "summary" -> "copy";
          "copy" -> "approval";
          "approval" -> "slogans";
          "approval" -> "copy_en";
        }

        """)
    let mermaid = try BatonProcess.run(["graph", "Workflows/translate-press-releases.yaml"], directory: BatonProcess.repository)
    #expect(mermaid.stdout == """
        flowchart TD
          step_releases["releases<br/><small>read</small>"]
          step_english["english<br/><small>translate · for each</small>"]
          step_index["index<br/><small>template</small>"]
          step_releases --> step_english
          step_releases --> step_index

        """)
}

@Test func renderPreviewsPromptsWithInputsAndPlaceholders() throws {
    let folder = try scratch()
    let brief = folder.appendingPathComponent("brief.md")
    try Data("# 브리프\n드론 500대 라이트쇼".utf8).write(to: brief)
    let result = try BatonProcess.run(["render", "Workflows/campaign-copy.yaml", "--input", "brief=\(brief.path)", "--input", "tone=playful",
                                       "--input", "channels=instagram,tiktok"], directory: BatonProcess.repository)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("--- text ---\n# 브리프\n드론 500대 라이트쇼\n"))
    #expect(result.stdout.contains("- 톤: 위트 있고 가볍게\n- 채널: instagram, tiktok\n\n브리프 요약:\n⟨steps.summary.output⟩\n"))
    #expect(result.stdout.contains("=== copy_en (translate, model writer): skipped, 'when' is false ===\n"))
    #expect(result.stdout.contains("--- file hanbit-spring-2027/copy.en.md ---\n(not translated: tone is playful)\n"))

    let bad = try BatonProcess.run(["render", "Workflows/campaign-copy.yaml", "--input", "tone=angry"], directory: BatonProcess.repository)
    #expect(bad.status == 1)
    #expect(bad.stderr == "error: input 'tone' must be one of friendly, formal, playful, found 'angry'\n")

    let fromFiles = try BatonProcess.run(["render", "Workflows/tagline-en.yaml", "--inputs", "Examples/inputs/tagline-en.yaml",
                                          "--input", "product=@\(brief.path)"], directory: BatonProcess.repository)
    #expect(fromFiles.status == 0)
    #expect(fromFiles.stdout.contains("Write 3 short taglines for # 브리프\n드론 500대 라이트쇼, aimed at busy commuters."))
}

/// jinja2's own outputs (Tests/TemplateTests/Fixtures/cases.json), reproduced byte for byte by
/// `baton render --template` from files, as an outside comparison would run it.
@Test func renderTemplateReproducesJinja2ByteForByte() throws {
    let fixture = BatonProcess.repository.appendingPathComponent("Tests/TemplateTests/Fixtures/cases.json")
    let data = try Data(contentsOf: fixture)
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let cases = try #require(object["cases"] as? [[String: Any]])
    // Each context as the fixture writes it: re-serializing would lose the key order that dict
    // iteration depends on.
    let contexts = rawJSONValues(after: "\"context\": ", in: String(decoding: data, as: UTF8.self))
    #expect(contexts.count == cases.count)
    let folder = try scratch()
    var checked = 0
    for (index, testCase) in cases.enumerated() where testCase["error"] == nil && index < contexts.count {
        guard let name = testCase["name"] as? String, let template = testCase["template"] as? String,
              let output = testCase["output"] as? String else { continue }
        // Every chat template, and a spread of the rest, keeps the test quick.
        guard name.hasPrefix("chat ") || index % 6 == 0 || name.contains("korean") else { continue }
        let templateFile = folder.appendingPathComponent("t\(index).jinja")
        let varsFile = folder.appendingPathComponent("v\(index).json")
        try Data(template.utf8).write(to: templateFile)
        try Data(contexts[index].utf8).write(to: varsFile)
        var arguments = ["render", "--template", templateFile.path, "--vars", varsFile.path]
        if testCase["undefined"] as? String == "lenient" { arguments.append("--lenient") }
        let result = try BatonProcess.run(arguments)
        #expect(result.status == 0, "\(name): \(result.stderr)")
        #expect(result.stdout == output, "\(name)")
        checked += 1
    }
    #expect(checked >= 40)
}

@Test func renderShowsMissingRequiredInputsAsPlaceholders() throws {
    let folder = try scratch()
    try Data("baton: 1\nname: r\ninputs:\n  product: string\nsteps:\n  - { id: a, kind: generate, prompt: \"{{ inputs.product }} 카피\" }\n".utf8)
        .write(to: folder.appendingPathComponent("r.yaml"))
    let result = try BatonProcess.run(["render", "r.yaml"], directory: folder)
    #expect(result.status == 0)
    #expect(result.stdout == "r · preview of every prompt, no model is called\n\n=== a (generate, Baton's default model) ===\n--- user ---\n⟨inputs.product⟩ 카피\n")
    #expect(result.stderr == "note: input 'product' is not given; shown as ⟨inputs.product⟩\n")
}

@Test func renderTemplateErrorsPointIntoTheTemplateFile() throws {
    let folder = try scratch()
    try Data("안녕하세요 {{ 이름 }}님\n{{ name | upperr }}\n".utf8).write(to: folder.appendingPathComponent("greeting.jinja"))
    let result = try BatonProcess.run(["render", "--template", "greeting.jinja"], directory: folder)
    #expect(result.status == 1)
    #expect(result.stdout == "")
    #expect(result.stderr == "greeting.jinja:2:11: error: unknown filter 'upperr' (did you mean 'upper'?)\n{{ name | upperr }}\n          ^\n")
}

/// The raw text of each JSON value that follows `key` in `text` (strings and nesting respected).
private func rawJSONValues(after key: String, in text: String) -> [String] {
    let scalars = Array(text.unicodeScalars)
    let keyScalars = Array(key.unicodeScalars)
    var values: [String] = []
    var index = 0
    var inString = false
    while index < scalars.count {
        let scalar = scalars[index]
        if inString {
            if scalar == "\\" { index += 2; continue }
            if scalar == "\"" { inString = false }
            index += 1
            continue
        }
        if scalar == "\"", index + keyScalars.count <= scalars.count, Array(scalars[index..<index + keyScalars.count]) == keyScalars {
            var end = index + keyScalars.count
            let start = end
            var depth = 0
            var quoted = false
            while end < scalars.count {
                let c = scalars[end]
                if quoted {
                    if c == "\\" { end += 2; continue }
                    if c == "\"" { quoted = false }
                } else if c == "\"" {
                    quoted = true
                } else if c == "{" || c == "[" {
                    depth += 1
                } else if c == "}" || c == "]" {
                    depth -= 1
                    if depth == 0 { end += 1; break }
                }
                end += 1
            }
            values.append(String(String.UnicodeScalarView(scalars[start..<end])))
            index = end
            continue
        }
        if scalar == "\"" { inString = true }
        index += 1
    }
    return values
}

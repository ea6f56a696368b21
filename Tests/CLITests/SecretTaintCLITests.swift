import Foundation
import Testing
import TestSupport

/// Issue 19 item 5: a secret input passed through `upper`, `reverse`, `tojson`, a slice, `e`,
/// `join`, `~` and `format` reaches the model and the files the user asked for, and appears in
/// no store row (nor the WAL), no terminal line and no export; a file name made from it is refused.
@Suite struct SecretTaintCLITests {
    static let token = "sk-Live/9f3Kq7Zp\"Xw2Rv8&Tn4<Ym6Lb1"

    /// Every form of the token the workflow computes, as it would appear in clear.
    static var forms: [String] {
        let token = Self.token
        let json = "\"sk-Live/9f3Kq7Zp\\\"Xw2Rv8&Tn4<Ym6Lb1\""
        return [token, token.uppercased(), String(token.reversed()), json, String(Array(token)[3..<19]),
                "sk-Live/9f3Kq7Zp&#34;Xw2Rv8&amp;Tn4&lt;Ym6Lb1", "Bearer " + token, "[" + token + "]"]
    }

    @Test func derivedFormsOfASecretAreMaskedEverywhere() throws {
        let server = try FakeOpenAIServer()
        let folder = try TemporaryFolder.make("taint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workflow = """
            baton: 1
            name: taint
            inputs:
              token: { type: string, secret: true }
            models:
              m: { provider: openai, base_url: "\(server.baseURL.absoluteString)", model: fake }
            defaults: { model: m }
            steps:
              - id: forms
                kind: template
                template: |
                  {{ inputs.token | upper }} / {{ inputs.token | reverse }} / {{ inputs.token | tojson }} / {{ inputs.token[3:19] }}
                  {{ inputs.token | e }} / {{ ['Bearer', inputs.token] | join(' ') }} / {{ '[' ~ inputs.token ~ ']' }}
              - id: ask
                kind: generate
                prompt: "{{ steps.forms.output }} {{ '%s' | format(inputs.token | upper) }}"
            outputs:
              shown: "{{ (inputs.token | reverse)[0:12] }}"
              files:
                - { path: "forms.txt", content: "{{ steps.forms.output }}" }
            """
        try workflow.write(to: folder.appendingPathComponent("taint.yaml"), atomically: true, encoding: .utf8)
        let run = try BatonProcess.run(["run", "taint.yaml", "--input", "token=\(Self.token)", "--json"],
                                       environment: ["BATON_DB": ""], directory: folder)
        #expect(run.status == 0, "\(run.stderr)")
        // The model and the file got the real values.
        let prompt = try #require(server.prompts().first)
        #expect(prompt.contains(Self.token.uppercased()) && prompt.contains(String(Self.token.reversed())))
        let written = try String(contentsOf: folder.appendingPathComponent("out/forms.txt"), encoding: .utf8)
        #expect(written.contains(String(Self.token.reversed())))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let runID = try #require(json["run_id"] as? String)
        var seen = [("run", run.stdout + run.stderr)]
        for arguments in [["show", runID], ["show", runID, "--json"], ["export", runID, "--format", "json"],
                          ["export", runID, "--format", "markdown"], ["runs", "--json"]] {
            let shown = try BatonProcess.run(arguments, environment: ["BATON_DB": ""], directory: folder)
            #expect(shown.status == 0)
            seen.append((arguments.joined(separator: " "), shown.stdout + shown.stderr))
        }
        #expect(seen[1].1.contains("***"))
        let store = folder.appendingPathComponent(".baton")
        for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
            let bytes = try Data(contentsOf: store.appendingPathComponent(name))
            seen.append((name, String(decoding: bytes, as: UTF8.self)))
        }
        var leaks: [String] = []
        for (place, text) in seen {
            for form in Self.forms + [String(String(Self.token.reversed()).prefix(12))] where text.contains(form) {
                leaks.append("\(place): \(form)")
            }
        }
        print("secret forms checked: \(Self.forms.count + 1) in \(seen.count) places (terminal, show, export, runs, store files); leaks: \(leaks.count)")
        #expect(leaks == [])
    }

    @Test func aFileNameMadeFromASecretIsRefused() throws {
        let folder = try TemporaryFolder.make("taint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workflow = """
            baton: 1
            name: taint-name
            inputs:
              token: { type: string, secret: true }
            steps:
              - { id: save, kind: write, path: "keys/{{ inputs.token | slug }}.txt", content: "x" }
            """
        try workflow.write(to: folder.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let run = try BatonProcess.run(["run", "w.yaml", "--input", "token=Abc-Secret-Value-42"], environment: ["BATON_DB": ""], directory: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("refused to write 'keys/***.txt': the name is made from a secret input"), "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).lowercased().contains("abc-secret-value-42"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/keys").path))
    }
}

import Testing
@testable import Template

/// Issue 19 item 5: `SecretTaint` follows a secret through filters, operators, slices and calls,
/// and leaves alone what is only read beside it.
@Suite struct SecretTaintTests {
    static let token = "sk-Live-9f3Kq7Zp"
    static let context: [String: Value] = ["inputs": .dict(["token": .string(token), "product": .string("무선 이어폰")])]

    /// Renders `source` with a tracker for the token and returns what the tracker holds besides it.
    func derived(_ source: String) throws -> Set<String> {
        let taint = SecretTaint(secrets: [Self.token])
        _ = try SecretTaint.$current.withValue(taint) { try Template(source, name: "t.j2").render(Self.context) }
        return Set(taint.strings).subtracting([Self.token])
    }

    @Test(arguments: [
        ("{{ inputs.token | upper }}", "SK-LIVE-9F3KQ7ZP"),
        ("{{ inputs.token | reverse }}", "pZ7qK3f9-eviL-ks"),
        ("{{ inputs.token[3:12] }}", "Live-9f3K"),
        ("{{ inputs.token | tojson }}", "\"sk-Live-9f3Kq7Zp\""),
        ("{{ ('<' ~ inputs.token) | e }}", "&lt;sk-Live-9f3Kq7Zp"),
        ("{{ [inputs.token, 'x'] | join('/') }}", "sk-Live-9f3Kq7Zp/x"),
        ("{{ 'Bearer ' ~ inputs.token }}", "Bearer sk-Live-9f3Kq7Zp"),
        ("{{ '%s!' | format(inputs.token) }}", "sk-Live-9f3Kq7Zp!"),
        ("{{ '%s?' % inputs.token }}", "sk-Live-9f3Kq7Zp?"),
        ("{{ inputs.token.replace('-', '_') }}", "sk_Live_9f3Kq7Zp"),
        ("{% set t = inputs.token | lower %}{{ t | reverse }}", "pz7qk3f9-evil-ks"),
        ("{% filter upper %}key={{ inputs.token }}{% endfilter %}", "KEY=SK-LIVE-9F3KQ7ZP"),
        ("{% macro m(x) %}{{ x | capitalize }}{% endmacro %}{{ m(inputs.token) }}", "Sk-live-9f3kq7zp"),
        ("{{ (inputs.token | upper | reverse)[0:6] }}", "PZ7QK3"),
        // Over the whole container that holds it: every result is recorded (erring toward masking).
        ("{{ inputs.values() | map('upper') | join(',') }}", "SK-LIVE-9F3KQ7ZP,무선 이어폰"),
        ("{{ (inputs | dictsort | first | last) | reverse }}", "폰어이 선무"),
    ])
    func derivedValuesAreTracked(source: String, expected: String) throws {
        #expect(try derived(source).contains(expected))
    }

    /// What is read beside a secret, or only decided by it, is not secret.
    @Test func neighboursAreNotTainted() throws {
        let found = try derived("{{ inputs.product | upper }} {{ 'present' if inputs.token else 'absent' }} {{ inputs.token | length }}")
        #expect(!found.contains("무선 이어폰"))
        #expect(!found.contains("present"))
        #expect(!found.contains("16"))
    }

    /// The byte search behind `contains`: at either end, in the middle, after a false start,
    /// absent, longer than the text; Korean by its UTF-8 bytes.
    @Test(arguments: [
        ("sk-abc", "sk-abc", true), ("xxsk-abc", "sk-abc", true), ("sk-abcxx", "sk-abc", true), ("ssk-sk-abc!", "sk-abc", true),
        ("sk-ab", "sk-abc", false), ("", "sk-abc", false), ("sk-abd sk-ab", "sk-abc", false), ("키: 비밀값입니다", "비밀값", true),
    ])
    func byteSearch(text: String, pattern: String, found: Bool) {
        #expect(SecretTaint(secrets: [pattern]).contains(text) == found)
    }

    /// Without a tracker nothing is recorded and rendering is unchanged.
    @Test func noTrackerNoChange() throws {
        #expect(try Template("{{ inputs.token | upper }}").render(Self.context) == "SK-LIVE-9F3KQ7ZP")
    }
}

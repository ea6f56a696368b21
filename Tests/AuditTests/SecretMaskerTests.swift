import Foundation
import Testing
@testable import Audit

@Suite struct SecretMaskerTests {
    static let masker = SecretMasker(secrets: ["sk-live-123", "비밀/키\"1", "", "sk-live-123-extended"])

    @Test(arguments: [
        ("Authorization: Bearer sk-live-123", "Authorization: Bearer ***"),
        ("key=sk-live-123-extended;", "key=***;"),
        ("twice sk-live-123 sk-live-123", "twice *** ***"),
        ("비밀/키\"1 은 노출 금지", "*** 은 노출 금지"),
        (#"{"api_key":"비밀/키\"1"}"#, #"{"api_key":"***"}"#),
        (#"{"api_key":"비밀\/키\"1"}"#, #"{"api_key":"***"}"#),
        ("nothing secret here", "nothing secret here"),
        ("sk-live-12", "sk-live-12"),
    ])
    func masksEveryForm(text: String, masked: String) {
        #expect(SecretMaskerTests.masker.mask(text) == masked)
    }

    /// What Foundation's JSON encoder writes for a secret is masked too.
    @Test func masksFoundationJSON() throws {
        let json = try JSONSerialization.data(withJSONObject: ["token": "a/b\"c\n비밀"])
        let masker = SecretMasker(secrets: ["a/b\"c\n비밀"])
        #expect(masker.mask(String(decoding: json, as: UTF8.self)) == #"{"token":"***"}"#)
    }

    @Test func anEmptyMaskerChangesNothing() {
        #expect(SecretMasker.none.isEmpty)
        #expect(SecretMasker(secrets: [""]).mask("abc") == "abc")
        #expect(SecretMaskerTests.masker.mask(nil as String?) == nil)
    }
}

@Suite struct AuditTimeTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_795_918_530.1239, "2026-11-29T02:15:30.123Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
    ])
    func formatsAndParses(seconds: Double, text: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(AuditTime.format(date) == text)
        #expect(AuditTime.parse(text) == AuditTime.stored(date))
        #expect(AuditTime.parse(text).map(AuditTime.format) == text)
    }

    @Test(arguments: ["", "2026-11-29 02:15:30.123Z", "2026-13-01T00:00:00.000Z", "2026-11-29T02:15:30Z"])
    func refusesOtherForms(text: String) {
        #expect(AuditTime.parse(text) == nil)
    }
}

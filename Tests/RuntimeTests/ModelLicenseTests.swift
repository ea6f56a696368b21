import Testing
@testable import Runtime

@Test("non-commercial licenses are recognized by identifier or name", arguments: [
    ("apache-2.0", nil, false),
    ("gemma", "Gemma Terms of Use", false),
    ("mit", nil, false),
    ("other", "exaone", true),
    ("cc-by-nc-4.0", nil, true),
    ("other", "EXAONE AI Model License Agreement 1.1 - NC", true),
    ("llama3.2", "Llama 3.2 Community License", false),
] as [(String, String?, Bool)])
func nonCommercialLicense(identifier: String, name: String?, nonCommercial: Bool) {
    #expect(ModelLicense(identifier: identifier, name: name).isNonCommercial == nonCommercial)
}

@Test func licenseSummaryNamesTheLicenseAndItsLink() {
    #expect(ModelLicense(identifier: "other", name: "exaone", link: "https://example.org/LICENSE").summary == "other (exaone), https://example.org/LICENSE")
    #expect(ModelLicense(identifier: "apache-2.0").summary == "apache-2.0")
}

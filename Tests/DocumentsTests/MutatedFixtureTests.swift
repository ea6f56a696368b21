import Documents
import Testing

/// Damaged files: every fixture truncated and with bytes flipped (a seeded generator, so a
/// failure reproduces). Each mutant must read or fail with a `DocumentError` naming the file —
/// never crash, hang or read out of bounds.
@Suite struct MutatedFixtureTests {
    /// A small deterministic generator (SplitMix64).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fixtures = [
        "office/release.docx", "office/briefing.pptx", "office/budget.xlsx", "office/notice.hwpx", "office/zip64.zip",
        "pdf/libreoffice-korean.pdf", "pdf/xref-stream.pdf", "pdf/incremental.pdf", "pdf/filters-chain.pdf",
        "pdf/flate-predictor.pdf", "pdf/rc4-empty-password.pdf", "pdf/aes-empty-password.pdf",
    ]

    /// 60 mutants per fixture (720 in all): 20 truncations and 40 with one to eight bytes overwritten.
    static func mutants(of bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
        var random = SplitMix(state: seed)
        var result: [[UInt8]] = []
        for _ in 0..<20 { result.append(Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))) }
        for _ in 0..<40 {
            var copy = bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                copy[Int.random(in: 0..<copy.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            result.append(copy)
        }
        return result
    }

    @Test(arguments: fixtures)
    func mutantsFailCleanlyNamingTheFile(_ fixture: String) throws {
        let bytes = try DocumentFixtures.bytes(fixture)
        let name = fixture.split(separator: "/").last.map(String.init) ?? fixture
        var failures = 0
        for (index, mutant) in Self.mutants(of: bytes, seed: fixture.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }).enumerated() {
            do {
                _ = try Documents.read(mutant, file: name)
            } catch {
                failures += 1
                #expect(error.file == name, "mutant \(index): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        // Most truncations must fail (a short PDF may still parse up to a full page, a ZIP never).
        #expect(failures >= 10, "\(fixture): only \(failures) of 60 mutants failed")
    }
}

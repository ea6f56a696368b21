import Base
import Documents
import Testing

/// Damaged files: every fixture truncated and with bytes flipped (a seeded generator, so a
/// failure reproduces). Each mutant must read or fail with a `DocumentError` naming the file —
/// never crash, hang or read out of bounds.
@Suite struct MutatedFixtureTests {
    /// Each fixture and how many mutants of it: at least 500 per format (the PDF features are
    /// spread over seven files; `long.hwp` adds streams read through the FAT rather than the
    /// mini-stream).
    static let fixtures: [(String, Int)] = [
        ("office/release.docx", 500), ("office/briefing.pptx", 500), ("office/budget.xlsx", 500), ("office/notice.hwpx", 500),
        ("hwp/notice.hwp", 500), ("hwp/long.hwp", 100), ("office/zip64.zip", 100), ("pdf/libreoffice-korean.pdf", 80), ("pdf/xref-stream.pdf", 72), ("pdf/incremental.pdf", 72),
        ("pdf/filters-chain.pdf", 72), ("pdf/flate-predictor.pdf", 72), ("pdf/rc4-empty-password.pdf", 72),
        ("pdf/aes-empty-password.pdf", 72),
    ]

    /// `count` mutants: a third truncated at a random length, the rest with one to eight bytes overwritten.
    static func mutants(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SeededGenerator(seed: seed)
        var result: [[UInt8]] = []
        for _ in 0..<(count / 3) { result.append(Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))) }
        while result.count < count {
            var copy = bytes
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                copy[Int.random(in: 0..<copy.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            result.append(copy)
        }
        return result
    }

    @Test(arguments: fixtures)
    func mutantsFailCleanlyNamingTheFile(_ fixture: String, _ count: Int) throws {
        let bytes = try DocumentFixtures.bytes(fixture)
        let name = fixture.split(separator: "/").last.map(String.init) ?? fixture
        var failures = 0
        for (index, mutant) in Self.mutants(of: bytes, count: count, seed: fixture.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }).enumerated() {
            do {
                _ = try Documents.read(mutant, file: name)
            } catch {
                failures += 1
                #expect(error.file == name, "mutant \(index): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        // Most truncations must fail (a short PDF may still parse up to a full page, a ZIP never).
        #expect(failures >= count / 6, "\(fixture): only \(failures) of \(count) mutants failed")
    }
}

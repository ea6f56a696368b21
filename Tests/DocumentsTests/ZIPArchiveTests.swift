import Documents
import Testing

/// The ZIP reader against archives Python's zipfile reads back with CRCs checked
/// (`Fixtures/make_office_fixtures.py`), and against damaged or hostile ones.
@Suite struct ZIPArchiveTests {
    static let hello = Array(String(repeating: "안녕하세요, Baton. ", count: 40).utf8)
    static let numbers = Array((0..<500).map(String.init).joined(separator: "\n").utf8)

    static func archive(_ name: String, limits: DocumentLimits = .standard) throws -> ZIPArchive {
        try ZIPArchive(DocumentFixtures.bytes("office/\(name)"), file: name, limits: limits)
    }

    @Test(arguments: ["zip64.zip", "data-descriptor.zip"])
    func readsZIP64RecordsAndDataDescriptors(_ name: String) throws {
        let archive = try Self.archive(name)
        var budget = archive.budget
        #expect(try archive.data("hello.txt", budget: &budget) == Self.hello)
        #expect(try archive.data("data/numbers.txt", budget: &budget) == Self.numbers)
        #expect(try archive.data("missing.txt", budget: &budget) == nil)
        #expect(budget.remaining == DocumentLimits.standard.maximumTotalBytes - Self.hello.count - Self.numbers.count)
    }

    @Test func aStoredEntryReadsAsIs() throws {
        let archive = try Self.archive("data-descriptor.zip")
        var budget = archive.budget
        #expect(try archive.data("stored.txt", budget: &budget) == Array("stored as is".utf8))
    }

    @Test func aZipBombStopsAtTheRatioLimit() throws {
        let archive = try Self.archive("bomb.zip")
        var budget = archive.budget
        let error = try #require(throws: DocumentError.self) { try archive.data("word/document.xml", budget: &budget) }
        #expect(error.location == .entry("word/document.xml"))
        #expect(error.message.hasPrefix("the entry inflates 10"))
        #expect(error.message.hasSuffix("times its compressed size, more than the limit of 200 (a zip bomb?)"))
    }

    @Test func perEntryAndTotalLimitsHold() throws {
        var limits = DocumentLimits.standard
        limits.maximumEntryBytes = 1000
        let small = try Self.archive("zip64.zip", limits: limits)
        var budget = small.budget
        #expect(throws: DocumentError(file: "zip64.zip", .entry("data/numbers.txt"),
                                      "the entry inflates to \(Self.numbers.count) bytes, more than the limit of 1000")) {
            try small.data("data/numbers.txt", budget: &budget)
        }
        limits = .standard
        limits.maximumTotalBytes = Self.hello.count + 10
        let total = try Self.archive("zip64.zip", limits: limits)
        budget = total.budget
        _ = try total.data("hello.txt", budget: &budget)
        #expect(throws: DocumentError(file: "zip64.zip", .entry("data/numbers.txt"),
                                      "the archive inflates to more than the limit of \(Self.hello.count + 10) bytes in all")) {
            try total.data("data/numbers.txt", budget: &budget)
        }
    }

    @Test func namesThatCouldEscapeAFolderAreNeverParts() throws {
        let archive = try Self.archive("unsafe-names.zip")
        #expect(archive.entries.map(\.name) == ["../evil.txt", "/etc/evil.txt", "C:/evil.txt", "good/../../evil.txt", "safe.txt"])
        #expect(archive.entries.map(\.hasUnsafeName) == [true, true, true, true, false])
        for name in ["../evil.txt", "/etc/evil.txt", "C:/evil.txt", "good/../../evil.txt"] { #expect(archive.entry(name) == nil) }
        #expect(archive.entry("safe.txt") != nil)
    }

    @Test func aDamagedEntryFailsItsCRC() throws {
        var bytes = try DocumentFixtures.bytes("office/data-descriptor.zip")
        let archive = try ZIPArchive(bytes, file: "d.zip")
        let stored = try #require(archive.entry("stored.txt"))
        // The stored entry's data follows its 30-byte local header and its name.
        bytes[stored.localHeaderOffset + 30 + "stored.txt".utf8.count] ^= 0x20
        let damaged = try ZIPArchive(bytes, file: "d.zip")
        var budget = damaged.budget
        #expect(throws: DocumentError(file: "d.zip", .entry("stored.txt"),
                                      "CRC-32 mismatch (\(hex(stored.crc32)) stored, \(hex(CRC32.checksum(Array("Stored as is".utf8)))) computed): the entry is damaged")) {
            try damaged.data("stored.txt", budget: &budget)
        }
    }

    @Test func aTruncatedArchiveSaysSo() throws {
        let bytes = try DocumentFixtures.bytes("office/zip64.zip")
        #expect(throws: DocumentError(file: "t.zip", .byteOffset(100),
                                      "no end-of-central-directory record: the archive is truncated or not a ZIP file")) {
            try ZIPArchive(Array(bytes.prefix(100)), file: "t.zip")
        }
    }

    @Test func anOfficeFileNamedWronglyIsReadByItsContent() throws {
        let text = try Documents.read(DocumentFixtures.bytes("office/release.docx"), file: "release.zip")
        #expect(text.format == .docx)
        #expect(throws: DocumentError(file: "x.zip", "a ZIP archive that is not a DOCX, PPTX, XLSX or HWPX document")) {
            try Documents.read(DocumentFixtures.bytes("office/zip64.zip"), file: "x.zip")
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

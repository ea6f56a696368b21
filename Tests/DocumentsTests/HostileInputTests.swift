import Base
@testable import Documents
import Foundation
import Testing

/// The bad input the issue lists beyond the mutated fixtures: LZW data whose codes pass 9 bits
/// (up to 12, with table clears), tables nested past the depth limit in DOCX and HWPX, a 200 MB
/// PDF read within its time and memory, and a file over the size limit refused before it is read.
@Suite struct HostileInputTests {
    /// PDF's LZW encoder as PDFBox writes it (`LZWFilter.encode`, EarlyChange 1): a clear code
    /// first, the code width from the table size, a clear when the table is full, 257 at the end.
    static func lzw(_ data: [UInt8]) -> [UInt8] {
        var table: [[UInt8]: Int] = [:]
        func reset() {
            table = [:]
            for byte in 0..<256 { table[[UInt8(byte)]] = byte }
        }
        var size = 258
        func width(_ entries: Int) -> Int { entries >= 2048 ? 12 : entries >= 1024 ? 11 : entries >= 512 ? 10 : 9 }
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        func write(_ code: Int, _ width: Int) {
            buffer = buffer << UInt64(width) | UInt64(code)
            bits += width
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt64(bits - 8)))
                bits -= 8
            }
        }
        reset()
        write(256, 9)
        var pattern: [UInt8] = []
        var found = -1
        for byte in data {
            pattern.append(byte)
            if let code = table[pattern] { found = code; continue }
            write(found, width(size))
            table[pattern] = size
            size += 1
            if size == 4096 {
                write(256, width(size - 1))
                reset()
                size = 258
            }
            pattern = [byte]
            found = Int(byte)
        }
        if found >= 0 { write(found, width(size)) }
        write(257, width(size + 1))
        if bits > 0 { write(0, 8 - bits) }
        return out
    }

    /// Text with enough variety that the table passes 512, 1024 and 2048 entries and clears.
    static let prose: [UInt8] = {
        var random = SeededGenerator(seed: 2026)
        let words = ["Baton", "reads", "hostile", "files", "보도자료", "센터", "LZW", "codes", "grow", "to", "twelve", "bits"]
        var text = ""
        for index in 0..<6_000 { text += words[Int(random.next() % UInt64(words.count))] + (index % 13 == 0 ? ".\n" : " ") }
        return Array(text.utf8)
    }()

    @Test func lzwCodesWiderThanNineBitsDecode() throws {
        let encoded = Self.lzw(Self.prose)
        // Mostly codes of 10 to 12 bits: far fewer bytes than 9-bit codes would need.
        #expect(encoded.count * 8 / 9 < Self.prose.count)
        #expect(try PDFLZW.decode(encoded, earlyChange: true, limit: 1 << 24) == Self.prose)
    }

    @Test func aContentStreamBehindLZWAndASCIIHexIsRead() throws {
        // 60 lines of varied words: over 4 KB, so the encoder's table passes 512 and 1024 entries.
        var random = SeededGenerator(seed: 7)
        let words = ["Baton", "reads", "hostile", "files", "with", "codes", "of", "ten", "eleven", "twelve", "bits", "again"]
        var lines: [String] = []
        for line in 0..<60 {
            lines.append("Line \(line): " + (0..<8).map { _ in words[Int(random.next() % UInt64(words.count))] }.joined(separator: " ") + ".")
        }
        let content = lines.enumerated().map { "BT /F1 8 Tf 40 \(780 - $0.offset * 12) Td (\($0.element)) Tj ET\n" }.joined()
        #expect(content.utf8.count > 4_000)
        let encoded = Self.lzw(Array(content.utf8)).map { String(format: "%02X", $0) }.joined() + ">"
        let bytes = HostilePDFTests.pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", HostilePDFTests.font,
                                         "<< /Length \(encoded.utf8.count) /Filter [/ASCIIHexDecode /LZWDecode] >>\nstream\n\(encoded)\nendstream",
                                         HostilePDFTests.page()])
        let text = try Documents.read(bytes, file: "lzw.pdf").plainText
        #expect(KnownSentences.missing(lines, in: text) == nil, "\(text)")
    }

    /// A DOCX whose body is a table nested `depth` times, the innermost cell holding a sentence.
    static func nestedDOCX(depth: Int) throws -> [UInt8] {
        var body = "<w:p><w:r><w:t>가장 안쪽 칸</w:t></w:r></w:p>"
        for _ in 0..<depth { body = "<w:tbl><w:tr><w:tc>\(body)</w:tc></w:tr></w:tbl><w:p/>" }
        var zip = ZIPWriter()
        try zip.add("[Content_Types].xml", Array(OOXML.contentTypes.utf8))
        try zip.add("word/document.xml", Array("<w:document xmlns:w=\"\(OOXML.w)\"><w:body>\(body)</w:body></w:document>".utf8))
        return zip.archive()
    }

    /// An HWPX section whose paragraph holds a table nested `depth` times.
    static func nestedHWPX(depth: Int) throws -> [UInt8] {
        var paragraph = "<hp:p><hp:run><hp:t>가장 안쪽 칸</hp:t></hp:run></hp:p>"
        for _ in 0..<depth {
            paragraph = "<hp:p><hp:run><hp:tbl><hp:tr><hp:tc><hp:subList>\(paragraph)</hp:subList></hp:tc></hp:tr></hp:tbl></hp:run></hp:p>"
        }
        var zip = ZIPWriter()
        try zip.add("mimetype", Array(OWPML.mimetype.utf8), stored: true)
        try zip.add("Contents/section0.xml", Array("<hs:sec \(OWPML.namespaces)>\(paragraph)</hs:sec>".utf8))
        return zip.archive()
    }

    /// HWPX spends six elements per table level (p, run, tbl, tr, tc, subList), so the XML depth
    /// limit (256) stops it before the table limit (64) would; DOCX spends three.
    @Test(arguments: [("nested.docx", 60), ("nested.hwpx", 40)])
    func tablesNestedWithinTheLimitRead(_ file: String, _ depth: Int) throws {
        let bytes = file.hasSuffix(".docx") ? try Self.nestedDOCX(depth: depth) : try Self.nestedHWPX(depth: depth)
        #expect(try Documents.read(bytes, file: file).plainText.contains("가장 안쪽 칸"))
    }

    @Test(arguments: [("nested.docx", 70, "tables nest deeper than 64 levels"), ("nested.hwpx", 70, "elements nest deeper than 256 levels"),
                      ("nested.docx", 100, "elements nest deeper than 256 levels"), ("nested.hwpx", 100, "elements nest deeper than 256 levels")])
    func tablesNestedPastTheLimitAreRefused(_ file: String, _ depth: Int, _ message: String) throws {
        let bytes = file.hasSuffix(".docx") ? try Self.nestedDOCX(depth: depth) : try Self.nestedHWPX(depth: depth)
        let error = try #require(throws: DocumentError.self) { try Documents.read(bytes, file: file) }
        #expect(error.file == file)
        #expect(error.message == message, "\(error)")
    }

    /// A 200 MB PDF: one page of text and a 200 MB stream no page uses (as a scanned attachment
    /// would be). Read through its xref it costs about one copy of the file; with the xref
    /// damaged, the scan for objects passes over the 200 MB once. Times are printed, not asserted.
    @Test(arguments: [false, true])
    func a200MegabytePDFIsReadInBoundedTime(_ damageXref: Bool) throws {
        let megabytes = 200
        var bytes = Array("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        func object(_ body: String) {
            offsets.append(bytes.count)
            bytes += Array("\(offsets.count) 0 obj\n\(body)\nendobj\n".utf8)
        }
        object("<< /Type /Catalog /Pages 2 0 R >>")
        object("<< /Type /Pages /Kids [5 0 R] /Count 1 >>")
        object(HostilePDFTests.font)
        object("<< /Length \(HostilePDFTests.content.utf8.count) >>\nstream\n\(HostilePDFTests.content)\nendstream")
        object(HostilePDFTests.page())
        offsets.append(bytes.count)
        let filler = megabytes << 20
        bytes += Array("6 0 obj\n<< /Length \(filler) >>\nstream\n".utf8)
        bytes += [UInt8](repeating: 0x41, count: filler)
        bytes += Array("\nendstream\nendobj\n".utf8)
        let xref = bytes.count
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(damageXref ? xref + 7 : xref)\n%%EOF\n"
        bytes += Array(table.utf8)
        let clock = ContinuousClock()
        var text = ""
        let elapsed = try clock.measure { text = try Documents.read(bytes, file: "large.pdf").plainText }
        #expect(bytes.count > megabytes << 20)
        #expect(text == "Baton reads hostile files.")
        print("a \(bytes.count >> 20) MB PDF (xref \(damageXref ? "damaged, objects scanned" : "intact")) read in \(elapsed)")
    }

    @Test func aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws {
        // A sparse file: 600 MB long on paper, nothing on disk, never loaded.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sparse-\(UUID().uuidString).pdf")
        FileManager.default.createFile(atPath: url.path, contents: Data("%PDF-1.7\n".utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 600 << 20)
        try handle.close()
        let error = try #require(throws: DocumentError.self) { try Documents.read(url) }
        #expect(error.message == "file is \(600 << 20) bytes, more than the 512 MB limit")
    }
}

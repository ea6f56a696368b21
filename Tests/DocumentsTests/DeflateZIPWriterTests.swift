import Base
import Documents
import Foundation
import Testing
import TestSupport

/// DEFLATE encoding and the ZIP writer: what Baton writes, Baton's Inflate and Python's zlib and
/// zipfile read back byte for byte (CRCs checked).
@Suite struct DeflateZIPWriterTests {
    static func samples() throws -> [(String, [UInt8])] {
        var random = SeededGenerator(seed: 7)
        let noise = (0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let korean = try DocumentFixtures.bytes("korean-sample.txt")
        let styles = Array(String(repeating: "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>\n", count: 2000).utf8)
        return [("empty", []), ("one byte", [0x41]), ("korean", korean), ("xml", styles), ("random", noise),
                ("zeros", [UInt8](repeating: 0, count: 100_000)), ("abab", Array(String(repeating: "ab", count: 40_000).utf8))]
    }

    @Test func inflateReadsBackWhatDeflateWrites() throws {
        for (name, data) in try Self.samples() {
            let packed = Deflate.compress(data)
            #expect(try Inflate.inflate(packed) == data, "\(name)")
            if data.count > 10_000, name != "random" { #expect(packed.count < data.count / 3, "\(name): \(packed.count) of \(data.count)") }
        }
    }

    @Test func pythonReadsBackWhatTheZIPWriterWrites() throws {
        var writer = ZIPWriter()
        let samples = try Self.samples()
        try writer.add("mimetype", Array("application/hwp+zip".utf8), stored: true)
        for (name, data) in samples { try writer.add("parts/\(name).bin", data) }
        try writer.add("한글 이름.txt", Array("보도자료".utf8))
        let bytes = writer.archive()
        // Baton's own reader first.
        let archive = try ZIPArchive(bytes, file: "w.zip")
        var budget = archive.budget
        #expect(archive.entries.first?.method == 0)
        for (name, data) in samples { #expect(try archive.data("parts/\(name).bin", budget: &budget) == data) }
        // Then Python's zipfile, which checks every CRC in testzip().
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-zipwriter-\(UUID().uuidString).zip")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, zipfile, hashlib
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for i in z.infolist():
                print(i.filename, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()[:16])
            """
        let (status, output) = try #require(ChildProcess.run(["python3", "-c", script, file.path]))
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.count == samples.count + 2)
        #expect(lines.first?.hasPrefix("mimetype 0 ") == true)
        #expect(lines.last?.hasPrefix("한글 이름.txt ") == true)
    }

    @Test func namesThatCouldEscapeAFolderOrRepeatAreRefused() {
        var writer = ZIPWriter()
        #expect(throws: ZIPWriter.Failure.unsafeName("../x")) { try writer.add("../x", []) }
        #expect(throws: ZIPWriter.Failure.unsafeName("/etc/x")) { try writer.add("/etc/x", []) }
        #expect(throws: Never.self) { try writer.add("a.xml", []) }
        #expect(throws: ZIPWriter.Failure.duplicateName("a.xml")) { try writer.add("a.xml", []) }
    }
}

import Base
import Foundation
import Testing
@testable import Audit
import SQLite
import TestSupport

@Suite struct SHA256Tests {
    /// FIPS 180-4 / NIST examples, plus lengths around the 55/56/64-byte padding edges.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 56), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        ("보도자료", "c8d6f56eaa0ff50eb1273731d601b03267fa0274f37c4db5427334a652652742"),
    ])
    func knownDigests(message: String, hex: String) {
        #expect(SHA256.hash(message).hex == hex)
    }

    @Test func oneMillionAs() {
        #expect(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000)).hex
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func piecewiseUpdatesEqualOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [1, 3, 63, 64, 65, 500] {
            var hasher = SHA256()
            var offset = 0
            while offset < bytes.count {
                hasher.update(bytes[offset..<min(offset + split, bytes.count)])
                offset += split
            }
            #expect(hasher.finalize() == SHA256.hash(bytes))
        }
    }

    /// The same file through `sha256sum` (coreutils) and through `SHA256.hash(fileAt:)`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum"), "needs /usr/bin/sha256sum (coreutils)"))
    func fileDigestEqualsSha256sum() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("baton-sha-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<((1 << 20) + 17) / 8).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
        try Data(bytes).write(to: url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Spawn.pipe()
        process.standardOutput = pipe
        try Spawn.run(process)
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(try SHA256.hash(fileAt: url.path).hex == String(output.prefix(64)))
    }
}


@Suite struct FileDigestCacheTests {
    /// A file is hashed once; after it changes, it is hashed again.
    @Test func digestsAreCachedUntilTheFileChanges() throws {
        let fixture = try AuditFixture()
        let file = fixture.folder.appendingPathComponent("model.gguf")
        try Data("GGUF v3 가중치".utf8).write(to: file)
        let first = try fixture.store.cachedSHA256(ofFileAt: file.path)
        #expect(first == SHA256.hash("GGUF v3 가중치").hex)
        let connection = try Connection(path: fixture.path)
        try connection.execute("UPDATE file_digests SET sha256 = 'cached'")
        #expect(try fixture.store.cachedSHA256(ofFileAt: file.path) == "cached")
        try Data("GGUF v3 changed".utf8).write(to: file)
        #expect(try fixture.store.cachedSHA256(ofFileAt: file.path) == SHA256.hash("GGUF v3 changed").hex)
        #expect(throws: (any Error).self) { try fixture.store.cachedSHA256(ofFileAt: fixture.folder.appendingPathComponent("none").path) }
    }
}

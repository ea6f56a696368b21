import Foundation
import TestSupport
import Testing
import Engine
@testable import Scheduler
@testable import Providers

/// The output folder is the only place a run writes: links planted inside it do not lead out,
/// failed writes leave nothing behind, and every error is in Baton's words.
@Suite struct OutputDirectoryTests {
    let base: URL
    let root: URL
    let outside: URL

    init() throws {
        base = try TemporaryFolder.make("outdir")
        root = base.appendingPathComponent("out")
        outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    }

    func link(_ name: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: destination)
    }

    /// Every entry under `folder`, relative, sorted (links are listed, not followed).
    func listing(_ folder: URL) -> [String] {
        (FileManager.default.subpaths(atPath: folder.path) ?? []).sorted()
    }

    func refusal(_ relative: String) -> String? {
        do {
            try OutputDirectory(root.path).write(Data("pwned".utf8), to: relative)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// The attack of issue 19: `link -> ../outside`, a folder made through a link, an absolute link.
    @Test(arguments: [
        ("link", "../outside", "link/pwn.txt", "link"),
        ("linkdir", "../outside", "linkdir/deeper/pwn2.txt", "linkdir"),
        ("abs", "ABSOLUTE", "abs/pwn3.txt", "abs"),
        ("loop", "loop", "loop/x.txt", "loop"),
    ])
    func aSymbolicLinkInsideTheFolderIsRefusedAndNothingIsWrittenOutside(name: String, destination: String, path: String, shown: String) throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let target = destination == "ABSOLUTE" ? outside.path : destination
        try link(name, to: target)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("real"), withIntermediateDirectories: true)
        try link("real/\(name)", to: destination == "../outside" ? "../../outside" : target)
        #expect(refusal(path) == "refused to write '\(path)': '\(shown)' inside the output folder \(root.standardizedFileURL.path) is a symbolic link; files are written only into real folders there")
        #expect(refusal("real/\(path)") == "refused to write 'real/\(path)': 'real/\(shown)' inside the output folder \(root.standardizedFileURL.path) is a symbolic link; files are written only into real folders there")
        #expect(listing(outside) == [])
        #expect(listing(root) == ["real", "real/\(name)", name].sorted())
    }

    /// A link in the file's own place is replaced by the file, never written through.
    @Test func aLinkWhereTheFileGoesIsReplacedNotFollowed() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let victim = outside.appendingPathComponent("victim.txt")
        try Data("original".utf8).write(to: victim)
        try link("report.md", to: victim.path)
        try OutputDirectory(root.path).write(Data("보고서".utf8), to: "report.md")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "original")
        #expect(try String(contentsOf: root.appendingPathComponent("report.md"), encoding: .utf8) == "보고서")
        #expect(try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("report.md").path)[.type] as? FileAttributeType == .typeRegular)
    }

    /// Names up to the file system's 255 bytes work (the temporary name does not grow with them);
    /// longer ones get an error naming the limit.
    @Test func namesUpTo255BytesAreWrittenAndLongerOnesAreRefusedInWords() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let folder = OutputDirectory(root.path)
        for length in [216, 240, 255] {
            let name = String(repeating: "a", count: length - 3) + ".md"
            try folder.write(Data("x".utf8), to: "long/\(name)")
        }
        #expect(listing(root.appendingPathComponent("long")).map(\.utf8.count) == [216, 240, 255])
        let tooLong = String(repeating: "가", count: 86)  // 258 bytes
        #expect(refusal("long/\(tooLong)") == "refused to write 'long/\(tooLong)': the name '\(tooLong)' is 258 bytes long; a file or folder name can have at most 255")
    }

    /// A folder where the file should go, or a file where a folder should go: Baton's words, no leftovers.
    @Test func writingOverAFolderOrThroughAFileFailsInWordsAndLeavesNothing() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("taken"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("plain.txt"))
        #expect(refusal("taken") == "cannot write 'taken' in the output folder \(root.standardizedFileURL.path): a folder of that name is in the way")
        #expect(refusal("plain.txt/inner.md") == "cannot write 'plain.txt/inner.md' in the output folder \(root.standardizedFileURL.path): 'plain.txt' is a file, not a folder")
        #expect(listing(root) == ["plain.txt", "taken"])
    }

    static var canMountTmpfs: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount") }

    /// A full disk: the error says so, and the temporary file is gone.
    @Test(.enabled(if: canMountTmpfs, "needs root to mount a small tmpfs"))
    func aFullDiskGivesAnErrorInWordsAndLeavesNoTemporaryFile() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let small = base.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", small.path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0)
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [small.path]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        let folder = OutputDirectory(small.path)
        do {
            try folder.write(Data(repeating: 0x41, count: 200_000), to: "big/export.txt")
            Issue.record("a 200 KB file was written into a 64 KB file system")
        } catch {
            #expect("\(error)" == "cannot write 'big/export.txt' in the output folder \(small.standardizedFileURL.path): no space left on the device")
        }
        #expect(listing(small.appendingPathComponent("big")) == [])
    }
}

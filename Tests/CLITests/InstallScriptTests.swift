import Foundation
import Testing
import TestSupport

/// `Scripts/install.sh`, the install step of `Scripts/setup.sh`, run on the test build with a
/// scratch HOME. The user it runs as is chosen with a stand-in `id` first on the PATH, so the
/// test never writes to /usr/local/bin even when the suite runs as root.
@Suite struct InstallScriptTests {
    let home: URL
    let fakeBin: URL

    init() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("baton-install-\(UUID().uuidString)")
        home = scratch.appendingPathComponent("home")
        fakeBin = scratch.appendingPathComponent("fake-bin")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: fakeBin, withIntermediateDirectories: true)
    }

    /// Runs the script as user `uid` with `path` as PATH (the stand-in `id` first).
    func install(uid: Int, path: String, extra: [String: String] = [:], build: String? = nil) throws -> (status: Int32, output: String) {
        let id = fakeBin.appendingPathComponent("id")
        try "#!/bin/sh\nif [ \"$1\" = \"-u\" ]; then echo \(uid); else /usr/bin/id \"$@\"; fi\n".write(to: id, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: id.path)
        return try Self.run("/bin/bash", [BatonProcess.repository.appendingPathComponent("Scripts/install.sh").path,
                                          build ?? BatonProcess.executable.deletingLastPathComponent().path],
                            environment: ["HOME": home.path, "PATH": fakeBin.path + ":" + path].merging(extra) { $1 })
    }

    /// Runs `executable` with `arguments` in the repository; its stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = BatonProcess.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func aUsersInstallLandsInLocalBinAndSaysHowToReachIt() throws {
        let result = try install(uid: 1000, path: "/usr/bin:/bin")
        let bin = home.appendingPathComponent(".local/bin").path
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == """
            installed: \(bin)/baton
            note: \(bin) is not on your PATH; add it with: export PATH="\(bin):$PATH" (e.g. in ~/.profile)

            """)
        for tool in ["baton", "baton-bench"] {
            #expect(FileManager.default.isExecutableFile(atPath: "\(bin)/\(tool)"), "\(tool)")
        }
        // The installed copy runs with a plain `baton` once its folder is on the PATH.
        let version = try Self.run("/bin/sh", ["-c", "baton --version"], environment: ["HOME": home.path, "PATH": "\(bin):/usr/bin:/bin"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("baton "), "\(version.output)")

        // Again, with the folder on the PATH: the copy is replaced and no note is printed.
        let again = try install(uid: 1000, path: "\(bin):/usr/bin:/bin")
        #expect(again.output == "installed: \(bin)/baton\n")
    }

    @Test func rootInstallsIntoTheFolderItIsGiven() throws {
        let target = home.appendingPathComponent("usr-local-bin").path
        let result = try install(uid: 0, path: "/usr/bin:/bin", extra: ["BATON_BIN_DIR": target])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("installed: \(target)/baton\n"))
        #expect(FileManager.default.isExecutableFile(atPath: "\(target)/baton"))
    }

    @Test func aMissingBuildIsAnErrorNamingIt() throws {
        let result = try install(uid: 1000, path: "/usr/bin:/bin", build: home.appendingPathComponent("nothing").path)
        #expect(result.status == 1)
        #expect(result.output == "error: \(home.path)/nothing/baton is not built (swift build -c release --product baton)\n")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent(".local/bin").path))
    }
}

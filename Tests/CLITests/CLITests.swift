import Foundation
import Testing
import TestSupport

/// Runs the built `baton` binary and captures its whole output, as a user would see it.
struct BatonProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The repository's root folder (this file is Tests/CLITests/CLITests.swift): the examples,
    /// workflows, scripts and test fixtures the tests read.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `baton` executable next to the test bundle in the build folder.
    static var executable: URL {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("baton")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/baton")
    }

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], directory: URL? = nil) throws -> BatonProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Spawn.pipe(), err = Spawn.pipe(), input = Spawn.pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try Spawn.run(process)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a full pipe never blocks the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return BatonProcess(status: process.terminationStatus,
                            stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Test func versionPrintsTheVersion() throws {
    let result = try BatonProcess.run(["version"])
    #expect(result.status == 0)
    #expect(result.stdout == "baton 0.1.0\n")
}

@Test func unknownCommandIsAUsageError() throws {
    let result = try BatonProcess.run(["frobnicate"])
    #expect(result.status == 64)
    #expect(result.stderr.hasPrefix("error: unknown command 'frobnicate'\nUSAGE: baton <command> [options]"))
}

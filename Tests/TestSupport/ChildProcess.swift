import Foundation

/// Runs a short child process and returns what it printed, through a temporary file rather than
/// a pipe.
///
/// Why not a pipe: the test process spawns children from many threads at once, and a child
/// started while a pipe is open inherits its write end. A reader waiting for the pipe's end of
/// file then waits for that unrelated child too; when it is a long-lived server whose test is
/// itself waiting for a free thread, the whole run deadlocks (it did, looking up a model while
/// the engine tests' servers ran). A file needs no end of file: read it after the child exits.
public enum ChildProcess {
    /// Runs `arguments` through `/usr/bin/env`; nil when it cannot start.
    public static func run(_ arguments: [String]) -> (status: Int32, output: String)? {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("baton-child-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: file) else { return nil }
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        do { try Spawn.run(process) } catch { try? handle.close(); return nil }
        process.waitUntilExit()
        try? handle.close()
        let output = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }
}

import CommandKit
import Foundation

/// `baton bench NAME ...` hands over to `baton-bench NAME ...`: the benchmarks (and the SQLite
/// and reference-tool plumbing they need) live in their own executable, built beside `baton`, so
/// the product binary carries none of them.
struct BenchCommand: Command {
    static let name = "bench"
    static let abstract = "Run a benchmark (hands over to baton-bench; build with -c release)."
    static let help = """
        USAGE: baton bench <benchmark> [options]

        Runs 'baton-bench <benchmark> [options]', the benchmark executable built beside baton
        (swift build -c release --product baton-bench). 'baton bench --help' lists the benchmarks.
        """

    static func run(_ arguments: [String]) throws -> Int32 { handOver(arguments) }

    /// Replaces this process with `baton-bench` (so signals, the terminal and the exit status
    /// are the benchmark's own); returns only when it cannot be started.
    static func handOver(_ arguments: [String]) -> Int32 {
        guard let path = benchExecutable() else {
            printError("error: baton-bench is not built next to baton; build it with 'swift build -c release --product baton-bench'")
            return 1
        }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        printError("error: could not start \(path): \(String(cString: strerror(errno)))")
        return 1
    }

    /// `baton-bench` in the folder of the running `baton` (the build folder or the install prefix).
    private static func benchExecutable() -> String? {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("baton-bench").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}

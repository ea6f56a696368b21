import CommandKit
import Foundation

/// Entry point of `baton-bench NAME ...` (also reached as `baton bench NAME ...`): benchmarks that
/// print medians and ratios against a reference run on the same machine.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty {
    printError(BenchCommands.help)
    exit(64)
}
// Top-level `await`: the benchmarks await their runs on this async entry point.
exit(await Dispatch.run(BenchCommands.self, arguments == ["help"] ? ["--help"] : arguments))

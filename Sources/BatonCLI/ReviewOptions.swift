import CommandKit
import Foundation

/// The review options `baton run` and `baton resume` share.
enum ReviewOptions {
    /// `--approve-all`, or `BATON_AUTO_APPROVE=1` in the environment (for test suites and
    /// unattended runs that must not stop at review steps).
    static func approveAll(_ parsed: ParsedArguments, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        parsed.flag("approve-all") || environment["BATON_AUTO_APPROVE"] == "1"
    }
}

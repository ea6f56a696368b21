import CommandKit
import Console
import Foundation
import Audit
import HTTPServer

/// `baton serve`: the local web console.
struct ServeCommand: TableCommand {
    static let abstract = "Serve the web console: run workflows, watch them, review and approve."
    static let options = OptionTable("baton serve", [
        .option("host", value: "HOST", help: "The address to listen on (loopback only by default). Any other address requires a token: --token, or one is generated and printed.", default: "127.0.0.1"),
        .option("port", value: "N", help: "The port (0 picks a free one, printed).", default: "8600"),
        .workflowsFolder,
        .option("token", value: "TOKEN", help: "Required on every request: 'Authorization: Bearer TOKEN', or open the console once with ?token=TOKEN (a cookie keeps it)."),
    ]).adding(RunSession.arguments.filter { $0.name != "json" })
    static let discussion = """
        Serves the console (Documentation/Console.md) with Baton's own HTTP server: the workflows
        of DIR, a run form from their typed inputs, live run pages, the run history and detail,
        and the review inbox. Everything it serves is inside the binary; it works offline. Every
        second it applies the 'timeout' of reviews nobody decided in time and continues the
        waiting runs whose reviews are decided, wherever they were decided.
        """
    static let epilogue = """
        SIGINT or SIGTERM stops accepting requests and lets the runs in progress finish.

        EXIT STATUS: 0 after a clean stop, 1 when it cannot listen, 64 on a usage error.
        """

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'", usage: usage) }
        let host = parsed.value("host") ?? "127.0.0.1"
        let portText = parsed.value("port") ?? "8600"
        guard let port = Int(portText), (0...65535).contains(port) else { throw UsageError(message: "--port needs a number 0-65535, not '\(portText)'", usage: usage) }
        var token = parsed.value("token")
        if let given = token, given.count < 16 { throw UsageError(message: "--token must be at least 16 characters", usage: usage) }
        if !isLoopback(host), token == nil {
            token = Console.randomToken()
            printError("baton serve: \(host) is not a loopback address, so every request needs a token; generated one:")
            printError("  token: \(token ?? "")")
        }
        let configuration = try RunSession.configuration(parsed, usage: usage)
        guard let store = RunSession.openStore(parsed) else { return 1 }
        let workflows = parsed.value("workflows") ?? "Workflows"
        let console = Console(settings: Console.Settings(workflows: workflows, engine: configuration, token: token), store: store)
        let server: HTTPServer
        do {
            server = try HTTPServer(host: host, port: port, handler: console.handle)
        } catch {
            printError("error: \(error)")
            return 1
        }
        server.start()
        console.startReviewSweep()
        let shown = host.contains(":") ? "[\(host)]" : host
        printError("baton serve: listening on http://\(shown):\(server.port)/\(token.map { "?token=\($0)" } ?? "") (workflows: \(workflows))")
        let done = DispatchSemaphore(value: 0)
        let signals = TerminationSignals { name in
            printError("baton serve: \(name) received; stopping (runs in progress finish first)")
            done.signal()
        }
        done.wait()
        signals.cancel()
        server.stop(grace: .seconds(10))
        console.waitForRuns(timeout: .seconds(600))
        printError("baton serve: stopped")
        return 0
    }
}

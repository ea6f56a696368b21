import CommandKit
import Foundation
import Engine
import Providers

/// `baton model pull URL [--sha256 HEX]`: downloads a GGUF into Baton's model folder.
struct ModelPullCommand: TableCommand {
    static let abstract = "Download a GGUF model into the model folder (resumable, SHA-256 checked)."
    static let options = OptionTable("baton model pull", [
        .positional("URL"),
        .option("sha256", value: "HEX", help: "Expected SHA-256 of the file (64 hex digits)."),
        .option("dir", value: "FOLDER", help: "Download into FOLDER instead of the model folder."),
    ])
    static let discussion = """
        Downloads URL into Baton's model folder ($BATON_MODELS, else ~/.baton/models) with
        progress on stderr. An interrupted download is kept as NAME.part and resumed (HTTP Range)
        by the next pull; the file takes its name only when complete (and, with --sha256, only
        when its SHA-256 matches). Prints the model's path.
        """

    static func run(_ parsed: ParsedArguments) async throws -> Int32 {
        guard parsed.positionals.count == 1, let url = URL(string: parsed.positionals[0]), url.scheme == "http" || url.scheme == "https" else {
            throw UsageError(message: "expected one http(s) URL", usage: usage)
        }
        let expected = parsed.value("sha256")
        if let expected, expected.count != 64 || !expected.allSatisfy(\.isHexDigit) {
            throw UsageError(message: "--sha256 needs 64 hex digits, not '\(expected)'", usage: usage)
        }
        let folder = parsed.value("dir") ?? LocalLanguageModel.modelFolder(environment: ProcessInfo.processInfo.environment)
        let interactive = isatty(STDERR_FILENO) == 1
        do {
            let path = try await LocalModelDownload.pull(url, into: folder, sha256: expected) { done, total in
                guard interactive else { return }
                let text = total.map { "\(done * 100 / max($0, 1))% of \($0 / 1_000_000) MB" } ?? "\(done / 1_000_000) MB"
                FileHandle.standardError.write(Data("\r\(text)   ".utf8))
            }
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            print(path)
            return 0
        } catch {
            printError("baton: model pull: \(error.message)")
            return 1
        }
    }
}

import Base
import CommandKit
import Foundation
import Runtime

/// `baton model logits PATH --tokens 1,2,3 | --prompt TEXT [--out FILE] [--top N] [--json]`:
/// the logits at every position of an input, for comparing with llama.cpp.
struct ModelLogitsCommand: TableCommand {
    static let abstract = "Print or save the logits at every position of an input."
    static let options = ModelRunOptions.table("baton model logits", [
        .option("out", value: "FILE", help: "Also write all logits as float32 little-endian, tokens × vocabulary."),
        .option("top", value: "N", help: "How many top tokens to print per position (default 5)."),
    ], json: #"Print {"tokens", "vocabulary", "positions": [{"token", "argmax", "top"}]}."#)
    static let discussion = """
        Runs the input through the GGUF model at PATH in one batch and prints, for every
        position, its token and the most likely next tokens with their logits.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        let options = try ModelRunOptions(parsed, usage: usage)
        let top = try parsed.positiveInteger("top", usage: usage) ?? 5
        return try ErrorReport.reporting {
            let (model, _, tokens) = try options.load(needTokenizer: false)
            let logits = try model.forwardAllLogits(tokens)
            let vocabulary = model.configuration.vocabularySize
            if let out = parsed.value("out") {
                let data = logits.withUnsafeBufferPointer { Data(buffer: $0) }
                do { try data.write(to: URL(fileURLWithPath: out)) } catch {
                    printError("error: cannot write \(out): \(SystemErrorText.describe(error))")
                    return 1
                }
            }
            var positions: [[String: Any]] = []
            var lines: [String] = []
            for (index, token) in tokens.enumerated() {
                let row = logits[index * vocabulary..<(index + 1) * vocabulary]
                let best = row.indices.sorted { row[$0] > row[$1] }.prefix(top).map { ($0 - index * vocabulary, row[$0]) }
                positions.append(["token": token, "argmax": best.first?.0 ?? 0, "top": best.map { [$0.0, Double($0.1)] }])
                lines.append("\(index)\t\(token)\t" + best.map { "\($0.0):\(String(format: "%.4f", $0.1))" }.joined(separator: " "))
            }
            if parsed.flag("json") {
                let object: [String: Any] = ["tokens": tokens, "vocabulary": vocabulary, "positions": positions]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                printOut(String(decoding: data, as: UTF8.self))
            } else {
                printOut("position\ttoken\ttop \(top) (id:logit)\n" + lines.joined(separator: "\n"))
            }
            return 0
        }
    }
}

import CommandKit
import Foundation
import Runtime

/// `baton model tokenize PATH TEXT [--json] [--special] [--bos]`: the token ids and pieces of a
/// text under a GGUF model's tokenizer, as llama.cpp would produce them.
struct ModelTokenizeCommand: TableCommand {
    static let abstract = "Print the token ids and pieces of a text."
    static let options = OptionTable("baton model tokenize", [
        .positional("PATH"),
        .positional("TEXT"),
        .flag("json", help: #"Print {"ids": [...], "pieces": [...], "count": N}."#),
        .flag("special", help: "Parse control tokens written in TEXT (<|im_start|>, ...)."),
        .flag("bos", help: "Put the model's BOS token first."),
    ])
    static let discussion = """
        Tokenizes TEXT with the tokenizer of the GGUF model at PATH and prints one line per
        token: the id and the piece (JSON-quoted), then the count.
        """

    static func run(_ parsed: ParsedArguments) throws -> Int32 {
        guard parsed.positionals.count == 2 else {
            throw UsageError(message: "expected PATH and TEXT", usage: usage)
        }
        let path = parsed.positionals[0], text = parsed.positionals[1]
        let tokenizer: Tokenizer
        do throws(RuntimeError) {
            tokenizer = try Tokenizer(file: try GGUFFile(path: path))
        } catch {
            printError(error.description)
            return 1
        }
        for warning in tokenizer.warnings { printError("warning: \(path): \(warning)") }
        var ids = tokenizer.encode(text, parseSpecial: parsed.flag("special"))
        if parsed.flag("bos") {
            guard let bos = tokenizer.bos else {
                printError("error: \(path): the model has no BOS token")
                return 1
            }
            ids.insert(bos, at: 0)
        }
        let pieces = ids.map { ModelTokenizeCommand.display(tokenizer.piece($0, special: true)) }
        if parsed.flag("json") {
            let object: [String: Any] = ["ids": ids, "pieces": pieces, "count": ids.count]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            printOut(String(decoding: data, as: UTF8.self))
            return 0
        }
        var lines: [String] = []
        for (id, piece) in zip(ids, pieces) { lines.append("\(id)\t\(ModelTokenizeCommand.jsonQuoted(piece))") }
        lines.append("count: \(ids.count)")
        printOut(lines.joined(separator: "\n"))
        return 0
    }

    /// A piece as text; a piece that is part of a character (a byte token) shows its bytes
    /// as `<0xEC><0x95>`, as llama.cpp names byte tokens.
    static func display(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let digits = Array("0123456789ABCDEF")
        return bytes.map { "<0x" + String([digits[Int($0 >> 4)], digits[Int($0 & 15)]]) + ">" }.joined()
    }

    /// A string as a JSON string literal, so spaces, newlines and control bytes are visible.
    static func jsonQuoted(_ text: String) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes]) else { return text }
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}

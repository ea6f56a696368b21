import Foundation

/// One piece of a document as stored and searched.
public struct TextChunk: Sendable, Equatable {
    /// The text embedded and shown: the section's heading path on the first line, then the body.
    public var text: String
    /// 0-based order within the document.
    public var position: Int
    /// Tokens of `text` by the embedding model's tokenizer (without `[CLS]`/`[SEP]`).
    public var tokenCount: Int
}

/// Splits a parsed document into chunks of about `targetTokens`, section by section (a heading
/// always starts a new chunk, and so does each record of a CSV or JSONL file), packing whole sentences and carrying up to `overlapTokens` of the
/// previous chunk's last sentences into the next. A sentence is only cut when it alone exceeds
/// the target (then at word boundaries).
///
/// Sentences end at `.`, `!`, `?`, `…`, `。`, `！`, `？` (with any closing quotes or brackets) before
/// whitespace, and at line breaks inside a paragraph; so `3.5`, `e.g.x` and Korean `다.` all behave.
public struct Chunker {
    public var targetTokens: Int
    public var overlapTokens: Int
    /// Counts tokens as the embedding model will (injected so tests can count words).
    public var countTokens: (String) -> Int

    public init(targetTokens: Int = 200, overlapTokens: Int = 40, countTokens: @escaping (String) -> Int) {
        self.targetTokens = max(8, targetTokens)
        self.overlapTokens = max(0, min(overlapTokens, targetTokens / 2))
        self.countTokens = countTokens
    }

    struct Unit { var text: String; var tokens: Int; var startsParagraph: Bool }

    public func chunks(_ document: ParsedDocument) -> [TextChunk] {
        var result: [TextChunk] = []
        var index = 0
        while index < document.blocks.count {
            let headings = document.blocks[index].headings
            var units: [Unit] = []
            let first = index
            while index < document.blocks.count && document.blocks[index].headings == headings
                    && !(document.blocksAreRecords && index > first) {
                for (offset, sentence) in Self.sentences(document.blocks[index].text).enumerated() {
                    for piece in split(sentence) {
                        units.append(Unit(text: piece, tokens: countTokens(piece), startsParagraph: offset == 0))
                    }
                }
                index += 1
            }
            let heading = headings.joined(separator: " > ")
            let headingTokens = heading.isEmpty ? 0 : countTokens(heading)
            for body in pack(units, budget: max(8, targetTokens - headingTokens)) {
                let text = heading.isEmpty ? body : heading + "\n" + body
                result.append(TextChunk(text: text, position: result.count, tokenCount: countTokens(text)))
            }
        }
        return result
    }

    /// Greedy packing of units into bodies of at most `budget` tokens, with sentence overlap.
    func pack(_ units: [Unit], budget: Int) -> [String] {
        var bodies: [String] = []
        var current: [Unit] = []
        var tokens = 0
        var fresh = 0  // units in `current` that are not overlap from the previous chunk
        for unit in units {
            if tokens + unit.tokens > budget && fresh > 0 {
                bodies.append(join(current))
                var tail: [Unit] = []
                var tailTokens = 0
                for previous in current.reversed() {
                    guard tailTokens + previous.tokens <= overlapTokens, tailTokens + previous.tokens + unit.tokens <= budget else { break }
                    tail.insert(previous, at: 0)
                    tailTokens += previous.tokens
                }
                current = tail
                tokens = tailTokens
                fresh = 0
            }
            current.append(unit)
            tokens += unit.tokens
            fresh += 1
        }
        if fresh > 0 { bodies.append(join(current)) }
        return bodies
    }

    func join(_ units: [Unit]) -> String {
        var text = ""
        for (offset, unit) in units.enumerated() {
            if offset > 0 { text += unit.startsParagraph ? "\n\n" : " " }
            text += unit.text
        }
        return text
    }

    /// A sentence longer than the target, cut at spaces into pieces of at most the target.
    func split(_ sentence: String) -> [String] {
        guard countTokens(sentence) > targetTokens else { return [sentence] }
        var pieces: [String] = []
        var current = ""
        for word in sentence.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if !current.isEmpty && countTokens(candidate) > targetTokens {
                pieces.append(current)
                current = String(word)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    static let terminators: Set<Character> = [".", "!", "?", "…", "。", "！", "？"]
    static let closers: Set<Character> = ["\"", "'", "”", "’", ")", "]", "」", "』", "》", "〉"]

    /// The sentences of a paragraph, trimmed, in order.
    static func sentences(_ paragraph: String) -> [String] {
        var result: [String] = []
        var current = ""
        var characters = Array(paragraph)
        characters.append(" ")
        var index = 0
        while index < characters.count - 1 {
            let character = characters[index]
            if character == "\n" {
                append(&current, to: &result)
                index += 1
                continue
            }
            current.append(character)
            if terminators.contains(character) {
                var next = index + 1
                while next < characters.count - 1 && (closers.contains(characters[next]) || terminators.contains(characters[next])) {
                    current.append(characters[next])
                    next += 1
                }
                if characters[next].isWhitespace { append(&current, to: &result) }
                index = next
                continue
            }
            index += 1
        }
        append(&current, to: &result)
        return result
    }

    private static func append(_ current: inout String, to result: inout [String]) {
        let sentence = current.trimmingCharacters(in: .whitespaces)
        if !sentence.isEmpty { result.append(sentence) }
        current = ""
    }
}

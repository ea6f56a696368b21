/// Parses the text of a cron expression into field bit masks, reporting the first problem with
/// its column. Grammar per field: a comma list of `*`, `N`, `N-M`, each optionally `/STEP`, and
/// `N/STEP` (meaning `N-max/STEP`); months and weekdays also accept three-letter names.
struct CronParser {
    /// The parsed fields and whether day-of-month / day-of-week were written starting with `*`
    /// (Vixie cron's test for "unrestricted").
    struct Fields {
        var bits: [CronBits]
        var dayOfMonthStar: Bool
        var dayOfWeekStar: Bool
    }

    static let shortcuts: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    private let characters: [Character]

    init(_ text: String) {
        characters = Array(text)
    }

    func parse() throws(CronError) -> Fields {
        let words = splitWords()
        guard let first = words.first else {
            throw CronError(message: "empty cron expression: expected 5 fields (minute hour day-of-month month day-of-week) or a shortcut like @daily", column: 1)
        }
        if first.text.hasPrefix("@") {
            guard let expansion = CronParser.shortcuts[first.text.lowercased()] else {
                throw CronError(message: "unknown shortcut '\(first.text)' (use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)",
                                column: first.column)
            }
            if words.count > 1 {
                throw CronError(message: "unexpected '\(words[1].text)' after \(first.text)", column: words[1].column)
            }
            return try CronParser(expansion).parse()
        }
        guard words.count == 5 else {
            let column = words.count > 5 ? words[5].column : characters.count + 1
            throw CronError(message: "expected 5 fields (minute hour day-of-month month day-of-week) but found \(words.count)",
                            column: column)
        }
        var bits: [CronBits] = []
        for field in CronField.allCases {
            bits.append(try parseField(field, words[field.rawValue]))
        }
        return Fields(bits: bits,
                      dayOfMonthStar: words[CronField.dayOfMonth.rawValue].text.hasPrefix("*"),
                      dayOfWeekStar: words[CronField.dayOfWeek.rawValue].text.hasPrefix("*"))
    }

    private struct Word {
        var text: Substring
        var column: Int
    }

    private func splitWords() -> [Word] {
        var words: [Word] = []
        var start: Int?
        for index in 0...characters.count {
            let isSpace = index == characters.count || characters[index] == " " || characters[index] == "\t"
            if isSpace, let begin = start {
                words.append(Word(text: Substring(String(characters[begin..<index])), column: begin + 1))
                start = nil
            } else if !isSpace, start == nil {
                start = index
            }
        }
        return words
    }

    private func parseField(_ field: CronField, _ word: Word) throws(CronError) -> CronBits {
        var bits = CronBits()
        var offset = 0
        for item in word.text.split(separator: ",", omittingEmptySubsequences: false) {
            let column = word.column + offset
            offset += item.count + 1
            guard !item.isEmpty else {
                throw CronError(message: "empty item in the \(field.name) list", column: column)
            }
            try parseItem(field, item, column: column, into: &bits)
        }
        if field == .dayOfWeek, bits.contains(7) { bits.insert(0) }
        return bits
    }

    private func parseItem(_ field: CronField, _ item: Substring, column: Int, into bits: inout CronBits) throws(CronError) {
        let parts = item.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let rangeText = parts[0]
        var step = 1
        if parts.count == 2 {
            let stepColumn = column + rangeText.count + 1
            guard let value = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), value > 0 else {
                throw CronError(message: "step must be a positive number, found '\(parts[1])'", column: stepColumn)
            }
            guard value <= field.high - field.low + 1 else {
                throw CronError(message: "step \(value) is too large for the \(field.name) range \(field.low)-\(field.high)", column: stepColumn)
            }
            step = value
        }
        var low = field.low
        var high = field.high
        if rangeText == "*" {
            if field == .dayOfWeek { high = 6 }
        } else {
            let bounds = rangeText.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else {
                throw CronError(message: "a range has one '-', found '\(rangeText)'", column: column)
            }
            low = try value(field, bounds[0], column: column)
            if bounds.count == 2 {
                high = try value(field, bounds[1], column: column + bounds[0].count + 1)
                if field == .dayOfWeek, high == 0, low > 0 { high = 7 }  // SAT-SUN, 5-0: Sunday as 7
                guard low <= high else {
                    throw CronError(message: "range \(rangeText) goes backwards (write it as \(low)-\(field.high),\(field.low)-\(high))", column: column)
                }
            } else if parts.count == 1 {
                high = low
            }
        }
        for value in stride(from: low, through: high, by: step) { bits.insert(value) }
    }

    private func value(_ field: CronField, _ token: Substring, column: Int) throws(CronError) -> Int {
        guard !token.isEmpty else {
            throw CronError(message: "missing \(field.name) value", column: column)
        }
        guard let value = field.value(of: token) else {
            let kind = field.names.isEmpty ? "\(field.name) value" : "\(field.name) name"
            throw CronError(message: "unknown \(kind) '\(token)' (use \(field.accepted))", column: column)
        }
        guard value >= field.low, value <= field.high else {
            throw CronError(message: "\(field.name) value \(token) is out of range \(field.low)-\(field.high)", column: column)
        }
        return value
    }
}

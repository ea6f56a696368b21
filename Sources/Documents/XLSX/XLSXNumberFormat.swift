import Base
import Foundation

/// How a cell's number is displayed (ECMA-376 Part 1, 18.8.30-31), for the formats office
/// documents use: General, fixed decimals with or without thousands separators, percentages,
/// and dates/times (built-in ids 14-22 and 45-47, or a custom code with date letters), shown in
/// ISO form (`2026-12-07`, `2026-12-07 09:30`) so text does not depend on the reader's locale.
public enum XLSXNumberFormat: Sendable, Equatable {
    case general
    /// Digits with `decimals` places; `prefix`/`suffix` are the code's literal text (`"₩"#,##0`).
    case fixed(decimals: Int, grouping: Bool, percent: Bool, prefix: String = "", suffix: String = "")
    case date(time: Bool, dateless: Bool)
    case text

    public init(id: Int, code: String?) {
        switch id {
        case 0: self = .general
        case 1: self = .fixed(decimals: 0, grouping: false, percent: false)
        case 2: self = .fixed(decimals: 2, grouping: false, percent: false)
        case 3: self = .fixed(decimals: 0, grouping: true, percent: false)
        case 4: self = .fixed(decimals: 2, grouping: true, percent: false)
        case 9: self = .fixed(decimals: 0, grouping: false, percent: true)
        case 10: self = .fixed(decimals: 2, grouping: false, percent: true)
        case 14...17: self = .date(time: false, dateless: false)
        case 18...21, 45...47: self = .date(time: true, dateless: true)
        case 22: self = .date(time: true, dateless: false)
        case 49: self = .text
        default: self = code.map(Self.parse) ?? .general
        }
    }

    /// A custom code: its first section, with quoted text, escapes and `[...]` colours or locales removed.
    static func parse(_ code: String) -> XLSXNumberFormat {
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first.map(String.init) ?? code
        var plain = "", prefix = "", suffix = ""
        var inQuote = false, inBracket = false, escaped = false
        func literal(_ character: Character) {
            if plain.contains(where: { "0#?".contains($0) }) { suffix.append(character) } else { prefix.append(character) }
        }
        for character in section {
            if escaped { escaped = false; literal(character); continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" { inQuote.toggle(); continue }
            if inQuote { literal(character); continue }
            if character == "[" { inBracket = true; continue }
            if character == "]" { inBracket = false; continue }
            if inBracket || character == "_" || character == "*" { continue }
            if character == " " || character == "(" || character == ")" || character == "-" || character == "+" || character == "$" {
                literal(character)
                continue
            }
            plain.append(character)
        }
        let lower = plain.lowercased()
        if lower == "general" || lower.isEmpty { return .general }
        if lower == "@" { return .text }
        let hasDate = lower.contains("y") || lower.contains("d") || (lower.contains("m") && !lower.contains("h"))
        let hasTime = lower.contains("h") || lower.contains("s")
        if hasDate || hasTime { return .date(time: hasTime, dateless: !hasDate) }
        let decimals = lower.split(separator: ".").dropFirst().first.map { $0.prefix { $0 == "0" || $0 == "#" }.count } ?? 0
        return .fixed(decimals: decimals, grouping: lower.contains(","), percent: lower.contains("%"), prefix: prefix, suffix: suffix)
    }

    /// `value` as this format shows it; `date1904` selects the Mac epoch.
    public func display(_ value: Double, date1904: Bool) -> String {
        switch self {
        case .general, .text: return Self.general(value)
        case .fixed(let decimals, let grouping, let percent, let prefix, let suffix):
            // Excel rounds halves away from zero (printf would round them to even).
            let power = pow(10, Double(decimals))
            let scaled = ((percent ? value * 100 : value) * power).rounded(.toNearestOrAwayFromZero) / power
            var text = String(format: "%.\(decimals)f", scaled)
            if grouping { text = Self.group(text) }
            if text.hasPrefix("-"), !prefix.isEmpty { return "-" + prefix + text.dropFirst() + (percent ? "%" : "") + suffix }
            return prefix + text + (percent ? "%" : "") + suffix
        case .date(let time, let dateless):
            guard value.isFinite, value > -1, value < 2_958_466 else { return Self.general(value) }
            return Self.date(value, time: time, dateless: dateless, date1904: date1904)
        }
    }

    /// Excel's General: integers without a fraction, others with up to 10 significant digits.
    static func general(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        var text = String(format: "%.10g", value)
        if text.contains("e") { return text }
        if text.contains(".") { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
        return text
    }

    private static func group(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        let integer = Array(parts.first ?? "")
        var grouped = ""
        for (index, digit) in integer.enumerated() {
            if index > 0, (integer.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A serial date: days since 1899-12-30 (the 1900 system, whose phantom 1900-02-29 only
    /// shifts serials below 61) or since 1904-01-01.
    private static func date(_ serial: Double, time: Bool, dateless: Bool, date1904: Bool) -> String {
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 { days += 1; seconds -= 86_400 }
        if !date1904, days < 61 { days += 1 }
        // The serial's epoch is 25,569 days (1904: 24,107) before 1970-01-01.
        let (year, month, day) = CivilTime.date(days: days - (date1904 ? 24_107 : 25_569))
        let clock = String(format: "%02d:%02d", seconds / 3600, seconds / 60 % 60) + (seconds % 60 != 0 ? String(format: ":%02d", seconds % 60) : "")
        if dateless { return clock }
        let calendar = String(format: "%04d-%02d-%02d", year, month, day)
        return time ? calendar + " " + clock : calendar
    }
}

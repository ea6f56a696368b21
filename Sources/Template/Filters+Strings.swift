import Base

/// String filters, following jinja2 3.1's definitions (lengths and offsets in code points, as
/// Python counts them).
extension Renderer {
    func stringFilter(_ filter: FilterName, _ input: Value, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> Value {
        let s = input.pythonString
        switch filter {
        case .upper: return .string(s.uppercased())
        case .lower: return .string(s.lowercased())
        case .string: return .string(s)
        case .capitalize: return .string(PythonString.capitalize(s))
        case .title: return .string(PythonString.jinjaTitle(s))
        case .trim:
            let chars = try stringArgument(args, 0, "chars")
            return .string(PythonString.strip(s, chars: chars, leading: true, trailing: true))
        case .replace:
            guard let old = try stringArgument(args, 0, "old"), let new = try stringArgument(args, 1, "new") else {
                throw error("replace needs the old and new strings", at: location)
            }
            let count = try intArgument(args, 2, "count", default: -1, at: location)
            return .string(try replace(s, old, new, count: count, at: location))
        case .truncate:
            let length = try intArgument(args, 0, "length", default: 255, at: location)
            let killwords = try boolArgument(args, 1, "killwords")
            let end = try stringArgument(args, 2, "end") ?? "..."
            let leeway = try intArgument(args, 3, "leeway", default: 5, at: location)
            let endCount = end.unicodeScalars.count
            guard length >= endCount else { throw error("expected length >= \(endCount), got \(length)", at: location) }
            guard leeway >= 0 else { throw error("expected leeway >= 0, got \(leeway)", at: location) }
            let keep = length.addingReportingOverflow(leeway)
            let allowed = keep.overflow ? Int.max : keep.partialValue
            // UTF-8 length bounds the code-point count: most texts need no counting at all.
            if s.utf8.count <= allowed || s.unicodeScalars.count <= allowed { return .string(s) }
            let scalars = Array(s.unicodeScalars)
            var head = String(String.UnicodeScalarView(scalars[0..<min(scalars.count, max(0, length - endCount))]))
            if !killwords, let space = head.unicodeScalars.lastIndex(of: " ") {
                head = String(head.unicodeScalars[..<space])
            }
            return .string(head + end)
        case .wordcount:
            var count = 0, inWord = false
            for scalar in s.unicodeScalars {
                let word = PythonString.isWordCharacter(scalar)
                if word && !inWord { count += 1 }
                inWord = word
            }
            return .int(count)
        case .indent:
            var indention = String(repeating: " ", count: 4)
            let first = try boolArgument(args, 1, "first")
            let blank = try boolArgument(args, 2, "blank")
            let lines = PythonString.splitlines(s + "\n")
            if let width = try argument(args, 0, "width") {
                if case .string(let text) = width { indention = text }
                else {
                    let n = max(0, try intArgument(args, 0, "width", default: 4, at: location))
                    if let reason = meter.string(n) { throw overBudget("|indent", reason, at: location) }
                    indention = String(repeating: " ", count: n)
                }
            }
            // Every line (and the first, with first=true) gets the indentation: check the total first.
            let (added, overflow) = indention.utf8.count.multipliedReportingOverflow(by: lines.count + 1)
            if let reason = meter.string(overflow ? Int.max : added.addingReportingOverflow(s.utf8.count).partialValue) {
                throw overBudget("|indent", reason, at: location)
            }
            var result: String
            if blank {
                result = lines.joined(separator: "\n" + indention)
            } else {
                result = lines.first ?? ""
                if lines.count > 1 {
                    result += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
                }
            }
            if first { result = indention + result }
            return .string(result)
        case .slug:
            return .string(PythonString.slug(s))
        case .escape:
            return .string(MarkupEscaping.jinja.escape(s))
        case .center:
            let width = try intArgument(args, 0, "width", default: 80, at: location)
            let count = s.unicodeScalars.count
            guard width > count else { return .string(s) }
            let total = width - count
            if let reason = meter.string(total.addingReportingOverflow(s.utf8.count).partialValue) { throw overBudget("|center", reason, at: location) }
            let left = total / 2 + (total & width & 1)
            return .string(String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left))
        default:
            return .string(s)
        }
    }
}

extension Renderer {
    /// `str.replace`, with the result's size checked before it is built: `replace('', s)` puts
    /// `s` between every character.
    func replace(_ s: String, _ old: String, _ new: String, count: Int, at location: SourceLocation) throws(TemplateError) -> String {
        let replaced = PythonString.replacements(s, old, count: count)
        let (grown, o1) = replaced.multipliedReportingOverflow(by: new.utf8.count)
        let (size, o2) = s.utf8.count.addingReportingOverflow(grown)
        if let reason = meter.string(o1 || o2 ? Int.max : size) { throw overBudget("replace", reason, at: location) }
        return PythonString.replace(s, old, new, count: count)
    }

    /// `separator.join(str(item) for item in items)`, its size checked before it is built.
    func join(_ items: [Value], separator: String, at location: SourceLocation) throws(TemplateError) -> String {
        let parts = items.map(\.pythonString)
        var size = separator.utf8.count.multipliedReportingOverflow(by: Swift.max(0, parts.count - 1))
        for part in parts where !size.overflow { size = size.partialValue.addingReportingOverflow(part.utf8.count) }
        if let reason = meter.string(size.overflow ? Int.max : size.partialValue) { throw overBudget("join", reason, at: location) }
        return parts.joined(separator: separator)
    }
}

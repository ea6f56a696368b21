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
            return .string(PythonString.replace(s, old, new, count: count))
        case .truncate:
            let length = try intArgument(args, 0, "length", default: 255, at: location)
            let killwords = try boolArgument(args, 1, "killwords")
            let end = try stringArgument(args, 2, "end") ?? "..."
            let leeway = try intArgument(args, 3, "leeway", default: 5, at: location)
            let endCount = end.unicodeScalars.count
            guard length >= endCount else { throw error("expected length >= \(endCount), got \(length)", at: location) }
            // UTF-8 length bounds the code-point count: most texts need no counting at all.
            if s.utf8.count <= length + leeway || s.unicodeScalars.count <= length + leeway { return .string(s) }
            let scalars = Array(s.unicodeScalars)
            var head = String(String.UnicodeScalarView(scalars[0..<max(0, length - endCount)]))
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
            if let width = try argument(args, 0, "width") {
                if case .string(let text) = width { indention = text }
                else { indention = String(repeating: " ", count: max(0, try intArgument(args, 0, "width", default: 4, at: location))) }
            }
            let first = try boolArgument(args, 1, "first")
            let blank = try boolArgument(args, 2, "blank")
            let lines = PythonString.splitlines(s + "\n")
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
            var out = ""
            for c in s.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&#34;"
                case "'": out += "&#39;"
                default: out.unicodeScalars.append(c)
                }
            }
            return .string(out)
        case .center:
            let width = try intArgument(args, 0, "width", default: 80, at: location)
            let count = s.unicodeScalars.count
            guard width > count else { return .string(s) }
            let total = width - count
            let left = total / 2 + (total & width & 1)
            return .string(String(repeating: " ", count: left) + s + String(repeating: " ", count: total - left))
        default:
            return .string(s)
        }
    }
}

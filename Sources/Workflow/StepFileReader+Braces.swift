extension StepFileReader {
    /// The patterns a glob's braces stand for: `*.{md,docx}` is `*.md` and `*.docx` (as in a
    /// shell; nested and several groups expand in turn, a brace without a comma stays as text).
    static func expandBraces(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        var depth = 0
        var open: Int?
        var commas: [Int] = []
        for (index, character) in characters.enumerated() {
            switch character {
            case "{":
                if depth == 0 { open = index; commas = [] }
                depth += 1
            case "," where depth == 1:
                commas.append(index)
            case "}" where depth > 0:
                depth -= 1
                guard depth == 0, let start = open else { continue }
                guard !commas.isEmpty else { open = nil; continue }
                let prefix = String(characters[..<start]), suffix = String(characters[(index + 1)...])
                let bounds = [start] + commas + [index]
                var result: [String] = []
                for part in 0..<(bounds.count - 1) {
                    let alternative = String(characters[(bounds[part] + 1)..<bounds[part + 1]])
                    result += expandBraces(prefix + alternative + suffix)
                }
                return result
            default: continue
            }
        }
        return [pattern]
    }
}

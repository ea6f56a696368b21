import Base
/// Builds the statement tree from tokens, checking that every block is closed and every filter
/// and test exists, so a template that parses has no syntax left to fail at render time.
struct Parser {
    var tokens: [Token]
    var position = 0
    let name: String
    /// Open blocks (`if`, `for`, ...) around the current position.
    var blockDepth = 0
    /// Expression nodes in the current tag and the current nesting of sub-expressions: both are
    /// bounded so that rendering (which recurses over the tree) cannot exhaust a thread's stack.
    var expressionNodes = 0
    var expressionDepth = 0
    static let maxBlockDepth = 100
    static let maxExpressionNodes = 1_000
    static let maxExpressionDepth = 64

    init(tokens: [Token], name: String) {
        self.tokens = tokens
        self.name = name
    }

    static func parse(_ source: String, name: String, options: Template.Options = Template.Options()) throws(TemplateError) -> [Node] {
        var parser = Parser(tokens: try Lexer.tokenize(source, name: name, options: options), name: name)
        let (nodes, stop) = try parser.parseBody(until: [])
        if let stop {
            throw parser.error("unexpected '{% \(stop.word) %}': no open block to close", at: stop.location)
        }
        return nodes
    }

    // MARK: Token helpers

    var current: Token { tokens[position] }

    mutating func next() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func error(_ message: String, at location: SourceLocation) -> TemplateError {
        TemplateError(name: name, line: location.line, column: location.column, message: message)
    }

    /// Counts one expression node and refuses absurdly large expressions.
    mutating func tick() throws(TemplateError) {
        expressionNodes += 1
        guard expressionNodes <= Parser.maxExpressionNodes else {
            throw error("expression too large (more than \(Parser.maxExpressionNodes) parts in one tag)", at: current.location)
        }
    }

    func isOp(_ op: String) -> Bool { current.kind == .op(op) }
    func isName(_ word: String) -> Bool { current.kind == .name(word) }

    mutating func skipOp(_ op: String) -> Bool {
        if isOp(op) { position += 1; return true }
        return false
    }

    mutating func skipName(_ word: String) -> Bool {
        if isName(word) { position += 1; return true }
        return false
    }

    mutating func expectOp(_ op: String) throws(TemplateError) {
        guard skipOp(op) else { throw unexpected(expected: "'\(op)'") }
    }

    mutating func expectName(_ word: String) throws(TemplateError) {
        guard skipName(word) else { throw unexpected(expected: "'\(word)'") }
    }

    mutating func expectIdentifier() throws(TemplateError) -> String {
        if case .name(let word) = current.kind { position += 1; return word }
        throw unexpected(expected: "a name")
    }

    mutating func expectBlockEnd() throws(TemplateError) {
        guard current.kind == .blockEnd else { throw unexpected(expected: "'%}'") }
        position += 1
    }

    func unexpected(expected: String) -> TemplateError {
        if current.kind == .end {
            return error("unexpected end of template, expected \(expected)", at: current.location)
        }
        return error("unexpected \(current.kind.display), expected \(expected)", at: current.location)
    }

    // MARK: Statements

    /// A closing or middle tag (`endif`, `else`, ...) that ended a body.
    struct Stop {
        var word: String
        var location: SourceLocation
    }

    /// Parses nodes until one of `stops` is found as a tag word (consumed up to the word, not
    /// past it), or until the end of the template (then `Stop` is nil).
    mutating func parseBody(until stops: Set<String>) throws(TemplateError) -> ([Node], Stop?) {
        var nodes: [Node] = []
        while true {
            let token = next()
            switch token.kind {
            case .end:
                return (nodes, nil)
            case .text(let text):
                nodes.append(.text(text))
            case .variableBegin:
                expressionNodes = 0
                let location = token.location
                let expression = try parseTuple()
                guard current.kind == .variableEnd else { throw unexpected(expected: "'}}'") }
                position += 1
                nodes.append(.output(expression, location))
            case .blockBegin:
                guard case .name(let word) = current.kind else { throw unexpected(expected: "a tag name") }
                let location = token.location
                let wordLocation = current.location
                if stops.contains(word) {
                    position += 1
                    return (nodes, Stop(word: word, location: location))
                }
                position += 1
                expressionNodes = 0
                guard blockDepth < Parser.maxBlockDepth else {
                    throw error("blocks nested deeper than \(Parser.maxBlockDepth) levels", at: location)
                }
                blockDepth += 1
                defer { blockDepth -= 1 }
                switch word {
                case "if": nodes.append(try parseIf(location: location))
                case "for": nodes.append(try parseFor(location: location))
                case "set": nodes.append(try parseSet(location: location))
                case "filter": nodes.append(try parseFilterBlock(location: location))
                case "macro": nodes.append(try parseMacro(location: location))
                case "endif", "endfor", "endset", "endfilter", "endmacro", "else", "elif", "endraw":
                    return (nodes, Stop(word: word, location: location))
                default:
                    let known = ["if", "for", "set", "filter", "macro", "raw", "endif", "endfor", "endset", "endfilter", "endmacro", "else", "elif"]
                    throw error("unknown tag '\(word)'\(Suggestion.hint(for: word, rule: .typo, in: known))", at: wordLocation)
                }
            default:
                throw error("unexpected \(token.kind.display)", at: token.location)
            }
        }
    }

    /// Throws when a body ended at the wrong tag or at the end of the template.
    func closing(_ stop: Stop?, of block: String, opened: SourceLocation, expected: [String]) throws(TemplateError) -> String {
        let list = expected.map { "'{% \($0) %}'" }.joined(separator: " or ")
        guard let stop else {
            throw error("unclosed '{% \(block) %}': expected \(list) before the end of the template", at: opened)
        }
        guard expected.contains(stop.word) else {
            throw error("unexpected '{% \(stop.word) %}' inside '{% \(block) %}' (opened at \(opened.line):\(opened.column)): expected \(list)", at: stop.location)
        }
        return stop.word
    }

    mutating func parseIf(location: SourceLocation) throws(TemplateError) -> Node {
        var branches: [(condition: Expression, body: [Node])] = []
        var otherwise: [Node]?
        var condition = try parseTuple()
        try expectBlockEnd()
        while true {
            let (body, stop) = try parseBody(until: ["elif", "else", "endif"])
            let word = try closing(stop, of: "if", opened: location, expected: ["elif", "else", "endif"])
            branches.append((condition, body))
            if word == "elif" {
                condition = try parseTuple()
                try expectBlockEnd()
                continue
            }
            if word == "else" {
                try expectBlockEnd()
                let (elseBody, elseStop) = try parseBody(until: ["endif"])
                _ = try closing(elseStop, of: "if", opened: location, expected: ["endif"])
                otherwise = elseBody
            }
            try expectBlockEnd()
            return .conditional(branches: branches, otherwise: otherwise)
        }
    }

    mutating func parseFor(location: SourceLocation) throws(TemplateError) -> Node {
        var targets = [try expectIdentifier()]
        while skipOp(",") { targets.append(try expectIdentifier()) }
        try expectName("in")
        let iterable = try parseTuple(withCondition: false)
        var condition: Expression?
        if skipName("if") { condition = try parseExpression() }
        if skipName("recursive") { throw error("recursive loops are not supported", at: location) }
        try expectBlockEnd()
        let (body, stop) = try parseBody(until: ["else", "endfor"])
        var otherwise: [Node]?
        if try closing(stop, of: "for", opened: location, expected: ["else", "endfor"]) == "else" {
            try expectBlockEnd()
            let (elseBody, elseStop) = try parseBody(until: ["endfor"])
            _ = try closing(elseStop, of: "for", opened: location, expected: ["endfor"])
            otherwise = elseBody
        }
        try expectBlockEnd()
        return .loop(Loop(targets: targets, iterable: iterable, condition: condition, body: body, otherwise: otherwise, location: location))
    }

    mutating func parseSet(location: SourceLocation) throws(TemplateError) -> Node {
        let first = try expectIdentifier()
        if skipOp(".") {
            let attribute = try expectIdentifier()
            try expectOp("=")
            let value = try parseTuple()
            try expectBlockEnd()
            return .assign(target: .attribute(namespace: first, attribute: attribute), value: value, location: location)
        }
        var names = [first]
        while skipOp(",") { names.append(try expectIdentifier()) }
        if names.count == 1, !isOp("=") {
            var filters: [FilterCall] = []
            while skipOp("|") { filters.append(try parseFilterCall()) }
            try expectBlockEnd()
            let (body, stop) = try parseBody(until: ["endset"])
            _ = try closing(stop, of: "set", opened: location, expected: ["endset"])
            try expectBlockEnd()
            return .assignBlock(name: first, body: body, filters: filters)
        }
        try expectOp("=")
        let value = try parseTuple()
        try expectBlockEnd()
        return .assign(target: .names(names), value: value, location: location)
    }

    mutating func parseMacro(location: SourceLocation) throws(TemplateError) -> Node {
        let name = try expectIdentifier()
        var parameters: [(name: String, defaultValue: Expression?)] = []
        try expectOp("(")
        while !isOp(")") {
            if !parameters.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            let parameter = try expectIdentifier()
            var defaultValue: Expression?
            if skipOp("=") { defaultValue = try parseExpression() }
            else if parameters.last?.defaultValue != nil {
                throw error("parameter '\(parameter)' without a default follows one with a default", at: current.location)
            }
            parameters.append((parameter, defaultValue))
        }
        try expectOp(")")
        try expectBlockEnd()
        let (body, stop) = try parseBody(until: ["endmacro"])
        _ = try closing(stop, of: "macro", opened: location, expected: ["endmacro"])
        try expectBlockEnd()
        return .macro(Macro(name: name, parameters: parameters, body: body, location: location))
    }

    mutating func parseFilterBlock(location: SourceLocation) throws(TemplateError) -> Node {
        var filters = [try parseFilterCall()]
        while skipOp("|") { filters.append(try parseFilterCall()) }
        try expectBlockEnd()
        let (body, stop) = try parseBody(until: ["endfilter"])
        _ = try closing(stop, of: "filter", opened: location, expected: ["endfilter"])
        try expectBlockEnd()
        return .filterBlock(body: body, filters: filters)
    }
}

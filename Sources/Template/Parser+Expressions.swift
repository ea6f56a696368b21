import Base
/// Expression grammar, with jinja2's precedence: `x if c else y` < `or` < `and` < `not` <
/// comparisons < `+ -` < `~` < `* / // %` < `**` < unary `- +` < postfix, filters and tests.
extension Parser {
    /// An expression, or a bare tuple `a, b` (as in `{% set a, b = 1, 2 %}`).
    mutating func parseTuple(withCondition: Bool = true) throws(TemplateError) -> Expression {
        let first = withCondition ? try parseExpression() : try parseOr()
        guard isOp(",") else { return first }
        var items = [first]
        while skipOp(",") {
            if current.kind == .blockEnd || current.kind == .variableEnd || isOp("=") { break }
            items.append(withCondition ? try parseExpression() : try parseOr())
        }
        return .tuple(items)
    }

    mutating func parseExpression() throws(TemplateError) -> Expression {
        guard expressionDepth < Parser.maxExpressionDepth else {
            throw error("expression nested deeper than \(Parser.maxExpressionDepth) levels", at: current.location)
        }
        expressionDepth += 1
        defer { expressionDepth -= 1 }
        let value = try parseOr()
        guard skipName("if") else { return value }
        let condition = try parseOr()
        var otherwise: Expression?
        if skipName("else") { otherwise = try parseExpression() }
        return .conditional(condition: condition, then: value, otherwise: otherwise)
    }

    mutating func parseOr() throws(TemplateError) -> Expression {
        var left = try parseAnd()
        while skipName("or") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(TemplateError) -> Expression {
        var left = try parseNot()
        while skipName("and") { left = .and(left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws(TemplateError) -> Expression {
        if skipName("not") {
            try tick()
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(TemplateError) -> Expression {
        let location = current.location
        let left = try parseMath1()
        var operations: [(op: CompareOperator, operand: Expression)] = []
        while true {
            if case .op(let op) = current.kind, let compare = CompareOperator(rawValue: op), compare != .contains {
                position += 1
                operations.append((compare, try parseMath1()))
            } else if skipName("in") {
                operations.append((.contains, try parseMath1()))
            } else if isName("not"), position + 1 < tokens.count, tokens[position + 1].kind == .name("in") {
                position += 2
                operations.append((.notContains, try parseMath1()))
            } else {
                break
            }
        }
        return operations.isEmpty ? left : .compare(left, operations, location)
    }

    /// One precedence level of binary operators, grouped to the left (`a - b + c` is
    /// `(a - b) + c`): `operand (op operand)*` for the operators of `level`.
    mutating func parseBinary(_ level: Set<BinaryOperator>,
                              _ operand: (inout Parser) throws(TemplateError) -> Expression) throws(TemplateError) -> Expression {
        var left = try operand(&self)
        while true {
            let location = current.location
            guard case .op(let op) = current.kind, let binary = BinaryOperator(rawValue: op), level.contains(binary) else { return left }
            position += 1
            left = .binary(binary, left, try operand(&self), location)
        }
    }

    mutating func parseMath1() throws(TemplateError) -> Expression {
        try parseBinary([.add, .subtract]) { parser throws(TemplateError) in try parser.parseConcat() }
    }

    mutating func parseConcat() throws(TemplateError) -> Expression {
        try parseBinary([.concat]) { parser throws(TemplateError) in try parser.parseMath2() }
    }

    mutating func parseMath2() throws(TemplateError) -> Expression {
        try parseBinary([.multiply, .divide, .floorDivide, .modulo]) { parser throws(TemplateError) in try parser.parsePower() }
    }

    mutating func parsePower() throws(TemplateError) -> Expression {
        try parseBinary([.power]) { parser throws(TemplateError) in try parser.parseUnary() }
    }

    mutating func parseUnary(withFilter: Bool = true) throws(TemplateError) -> Expression {
        try tick()
        let location = current.location
        var node: Expression
        if skipOp("-") {
            node = .negate(try parseUnary(withFilter: false), location)
        } else if skipOp("+") {
            node = .plus(try parseUnary(withFilter: false), location)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    mutating func parsePrimary() throws(TemplateError) -> Expression {
        let token = current
        switch token.kind {
        case .name(let word):
            position += 1
            switch word {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(word, token.location)
            }
        case .string(var text):
            position += 1
            while case .string(let more) = current.kind { text += more; position += 1 }
            return .literal(.string(text))
        case .int(let value):
            position += 1
            return .literal(.int(value))
        case .float(let value):
            position += 1
            return .literal(.double(value))
        case .op("("):
            position += 1
            if skipOp(")") { return .tuple([]) }
            let first = try parseExpression()
            if skipOp(")") { return first }
            var items = [first]
            while skipOp(",") {
                if isOp(")") { break }
                items.append(try parseExpression())
            }
            try expectOp(")")
            return .tuple(items)
        case .op("["):
            position += 1
            return .list(try parseItems(until: "]") { parser throws(TemplateError) in try parser.parseExpression() })
        case .op("{"):
            position += 1
            return .dict(try parseItems(until: "}") { parser throws(TemplateError) in
                let key = try parser.parseExpression()
                try parser.expectOp(":")
                return (key: key, value: try parser.parseExpression())
            })
        default:
            throw unexpected(expected: "an expression")
        }
    }

    /// The comma-separated items of a list or dict literal up to `close` (a trailing comma
    /// allowed, as in Jinja), each read by `item`; consumes `close`.
    mutating func parseItems<Item>(until close: String, _ item: (inout Parser) throws(TemplateError) -> Item) throws(TemplateError) -> [Item] {
        var items: [Item] = []
        while !isOp(close) {
            if !items.isEmpty { try expectOp(",") }
            if isOp(close) { break }
            items.append(try item(&self))
        }
        try expectOp(close)
        return items
    }

    mutating func parsePostfix(_ start: Expression) throws(TemplateError) -> Expression {
        var node = start
        while true {
            let location = current.location
            if isOp(".") || isOp("[") || isOp("(") { try tick() }
            if skipOp(".") {
                switch current.kind {
                case .name(let attribute):
                    position += 1
                    node = .attribute(node, attribute, location)
                case .int(let index):
                    position += 1
                    node = .item(node, .literal(.int(index)), location)
                default:
                    throw unexpected(expected: "an attribute name")
                }
            } else if skipOp("[") {
                node = try parseSubscript(node, location: location)
            } else if isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    mutating func parseSubscript(_ target: Expression, location: SourceLocation) throws(TemplateError) -> Expression {
        var parts: [Expression?] = []
        var isSlice = false
        var currentPart: Expression?
        while !isOp("]") {
            if skipOp(":") {
                isSlice = true
                parts.append(currentPart)
                currentPart = nil
            } else {
                if currentPart != nil { throw unexpected(expected: "']'") }
                currentPart = try parseExpression()
            }
        }
        try expectOp("]")
        parts.append(currentPart)
        if !isSlice {
            guard let index = parts[0] else { throw error("empty subscript", at: location) }
            return .item(target, index, location)
        }
        guard parts.count <= 3 else { throw error("a slice takes at most three parts", at: location) }
        return .slice(target, start: parts[0], stop: parts.count > 1 ? parts[1] : nil, step: parts.count > 2 ? parts[2] : nil, location)
    }

    mutating func parseArguments() throws(TemplateError) -> ([Expression], [(name: String, value: Expression)]) {
        try expectOp("(")
        var arguments: [Expression] = []
        var keywords: [(name: String, value: Expression)] = []
        while !isOp(")") {
            if !arguments.isEmpty || !keywords.isEmpty { try expectOp(",") }
            if isOp(")") { break }
            if case .name(let word) = current.kind, position + 1 < tokens.count, tokens[position + 1].kind == .op("=") {
                position += 2
                keywords.append((word, try parseExpression()))
            } else {
                if !keywords.isEmpty { throw error("positional argument after keyword argument", at: current.location) }
                arguments.append(try parseExpression())
            }
        }
        try expectOp(")")
        return (arguments, keywords)
    }

    mutating func parseCall(_ callee: Expression) throws(TemplateError) -> Expression {
        let location = current.location
        let (arguments, keywords) = try parseArguments()
        return .call(callee, arguments: arguments, keywords: keywords, location)
    }

    mutating func parseFilterCall() throws(TemplateError) -> FilterCall {
        try tick()
        let location = current.location
        let word = try expectIdentifier()
        guard let filter = FilterName.lookup(word) else {
            throw error("unknown filter '\(word)'\(Suggestion.hint(for: word, rule: .typo, in: FilterName.allNames))", at: location)
        }
        var arguments: [Expression] = []
        var keywords: [(name: String, value: Expression)] = []
        if isOp("(") { (arguments, keywords) = try parseArguments() }
        return FilterCall(filter: filter, arguments: arguments, keywords: keywords, location: location)
    }

    mutating func parseFilterExpression(_ start: Expression) throws(TemplateError) -> Expression {
        var node = start
        while true {
            if skipOp("|") {
                node = .filter(node, try parseFilterCall())
                node = try parsePostfix(node)
            } else if isName("is") {
                try tick()
                let location = current.location
                position += 1
                let negated = skipName("not")
                let testLocation = current.location
                var word = try expectIdentifier()
                if word == "none" || word == "None" { word = "none" }
                guard let test = TestName(rawValue: word) ?? TestName.alias(word) else {
                    throw error("unknown test '\(word)'\(Suggestion.hint(for: word, rule: .typo, in: TestName.allCases.map(\.rawValue)))", at: testLocation)
                }
                var arguments: [Expression] = []
                if isOp("(") {
                    let (positional, _) = try parseArguments()
                    arguments = positional
                } else {
                    switch current.kind {
                    case .string, .int, .float, .op("["), .op("{"):
                        arguments = [try parsePostfix(try parsePrimary())]
                    case .name(let w) where !["else", "or", "and", "if", "in", "not", "is"].contains(w):
                        arguments = [try parsePostfix(try parsePrimary())]
                    default: break
                    }
                }
                node = .test(node, test, arguments: arguments, negated: negated, location)
            } else {
                return node
            }
        }
    }
}

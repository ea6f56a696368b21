import Base
/// Filters over lists and dicts, following jinja2 3.1 (`sort` and `unique` ignore case by
/// default; `map`, `select` and friends return lists, where jinja2 returns generators).
extension Renderer {
    func collectionFilter(_ filter: FilterName, _ input: Value, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        switch filter {
        case .length:
            switch input {
            case .string(let s): return .value(.int(s.unicodeScalars.count))
            case .list(let l): return .value(.int(l.count))
            case .dict(let d): return .value(.int(d.count))
            default: throw error("object of type '\(input.typeName)' has no len()", at: location)
            }
        case .list:
            return .value(.list(try iterate(.value(input), at: location)))
        case .first:
            let items = try iterate(.value(input), at: location)
            guard let first = items.first else { return .undefined(Undefined(message: "No first item, sequence was empty.", location: location)) }
            return .value(first)
        case .last:
            guard case .dict = input else {
                let items = try iterate(.value(input), at: location)
                guard let last = items.last else { return .undefined(Undefined(message: "No last item, sequence was empty.", location: location)) }
                return .value(last)
            }
            throw error("'dict' object is not reversible", at: location)
        case .reverse:
            if case .string(let s) = input { return .value(.string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))) }
            return .value(.list(try iterate(.value(input), at: location).reversed()))
        case .join:
            let separator = try stringArgument(args, 0, "d") ?? ""
            var items = try iterate(.value(input), at: location)
            if let attribute = try argument(args, 1, "attribute") {
                items = try items.map { item throws(TemplateError) in try plain(try lookupPath(item, attribute, at: location)) }
            }
            return .value(.string(try join(items, separator: separator, at: location)))
        case .sort:
            let reverse = try boolArgument(args, 0, "reverse")
            let caseSensitive = try boolArgument(args, 1, "case_sensitive")
            let attribute = try argument(args, 2, "attribute")
            return .value(.list(try sorted(try iterate(.value(input), at: location), attribute: attribute, caseSensitive: caseSensitive, reverse: reverse, at: location)))
        case .unique:
            let caseSensitive = try boolArgument(args, 0, "case_sensitive")
            let attribute = try argument(args, 1, "attribute")
            var seen: [Value] = []
            var out: [Value] = []
            for item in try iterate(.value(input), at: location) {
                var key = attribute == nil ? item : try plain(try lookupPath(item, attribute ?? .none, at: location))
                if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
                if !seen.contains(where: { Value.pythonEqual($0, key) }) {
                    seen.append(key)
                    out.append(item)
                }
            }
            return .value(.list(out))
        case .map:
            let items = try iterate(.value(input), at: location)
            if let attribute = args.keywords["attribute"] {
                let fallback = args.keywords["default"]
                var out: [Value] = []
                for item in items {
                    var mapped = try lookupPath(item, try plain(attribute), at: location)
                    if mapped.isUndefined, let fallback { mapped = fallback }
                    out.append(try plain(mapped))
                }
                return .value(.list(out))
            }
            guard let nameValue = args.positional.first, case .value(.string(let name)) = nameValue else {
                throw error("map needs a filter name or attribute=", at: location)
            }
            guard let inner = FilterName.lookup(name) else {
                throw error("no filter named '\(name)'\(Suggestion.hint(for: name, rule: .typo, in: FilterName.allNames))", at: location)
            }
            let rest = FilterArguments(positional: Array(args.positional.dropFirst()), keywords: args.keywords)
            var out: [Value] = []
            for item in items { out.append(try plain(try applyFilter(inner, to: .value(item), rest, at: location))) }
            return .value(.list(out))
        case .select, .reject, .selectattr, .rejectattr:
            let byAttribute = filter == .selectattr || filter == .rejectattr
            let keep = filter == .select || filter == .selectattr
            var offset = 0
            var attribute: Value?
            if byAttribute {
                guard let a = args.positional.first else { throw error("missing parameter for attribute name", at: location) }
                attribute = try plain(a)
                offset = 1
            }
            var test: TestName?
            if offset < args.positional.count {
                let name = try plain(args.positional[offset]).pythonString
                guard let t = TestName(rawValue: name) ?? TestName.alias(name) ?? (name == "==" ? .eq : name == "!=" ? .ne : nil) else {
                    throw error("no test named '\(name)'\(Suggestion.hint(for: name, rule: .typo, in: TestName.allCases.map(\.rawValue)))", at: location)
                }
                test = t
            }
            let testArguments = Array(args.positional.dropFirst(offset + 1))
            var out: [Value] = []
            for item in try iterate(.value(input), at: location) {
                var subject = RuntimeValue.value(item)
                if let attribute { subject = try lookupPath(item, attribute, at: location) }
                let passed: Bool
                if let test { passed = try apply(test, to: subject, arguments: testArguments, at: location) } else { passed = try truth(subject) }
                if passed == keep { out.append(item) }
            }
            return .value(.list(out))
        case .dictsort:
            guard case .dict(let d) = input else { throw error("dictsort needs a mapping", at: location) }
            let caseSensitive = try boolArgument(args, 0, "case_sensitive")
            let by = try stringArgument(args, 1, "by") ?? "key"
            let reverse = try boolArgument(args, 2, "reverse")
            let pairs: [Value] = zip(d.keys, d.values).map { .list([.string($0), $1]) }
            return .value(.list(try sorted(pairs, attribute: .int(by == "value" ? 1 : 0), caseSensitive: caseSensitive, reverse: reverse, at: location)))
        case .batch:
            let count = try intArgument(args, 0, "linecount", default: 1, at: location)
            guard count > 0 else { throw error("batch needs a positive size", at: location) }
            let fill = try argument(args, 1, "fill_with")
            var out: [Value] = []
            var row: [Value] = []
            for item in try iterate(.value(input), at: location) {
                row.append(item)
                if row.count == count { out.append(.list(row)); row = [] }
            }
            if !row.isEmpty {
                if let fill {
                    if let reason = meter.list(count) { throw overBudget("|batch", reason, at: location) }
                    row += Array(repeating: fill, count: count - row.count)
                }
                out.append(.list(row))
            }
            return .value(.list(out))
        case .attr:
            guard let name = try stringArgument(args, 0, "name") else { throw error("attr needs a name", at: location) }
            // jinja2's `attr` reads Python attributes only, never dict items.
            if case .dict = input { return missing(input, name, at: location) }
            return try attribute(.value(input), name, at: location)
        case .groupby, .group_by:
            return .value(.list(try group(input, args, sortedByKey: filter == .groupby, at: location)))
        default:
            throw error("filter '\(filter.rawValue)' cannot be applied to \(input.typeName)", at: location)
        }
    }

    /// jinja2's `make_attrgetter`: `"a.b.0"` looks up item by item (digits as list indices).
    func lookupPath(_ item: Value, _ attribute: Value, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        if case .int(let i) = attribute { return try self.item(.value(item), .value(.int(i)), at: location) }
        if case .string(let name) = attribute, !name.utf8.contains(UInt8(ascii: ".")), Int(name) == nil {
            return try self.item(.value(item), .value(attribute), at: location)
        }
        var current = RuntimeValue.value(item)
        for part in attribute.pythonString.split(separator: ".", omittingEmptySubsequences: false) {
            if current.isUndefined { return current }
            let key: Value = Int(part).map { .int($0) } ?? .string(String(part))
            current = try self.item(current, .value(key), at: location)
        }
        return current
    }

    /// A stable sort by an optional attribute, lower-casing strings unless case-sensitive;
    /// `reverse` keeps equal items in their original order, as Python's `sorted` does.
    func sorted(_ items: [Value], attribute: Value?, caseSensitive: Bool, reverse: Bool, at location: SourceLocation) throws(TemplateError) -> [Value] {
        var keys: [Value] = []
        keys.reserveCapacity(items.count)
        for item in items {
            var key = item
            if let attribute { key = try plain(try lookupPath(item, attribute, at: location)) }
            if !caseSensitive, case .string(let s) = key { key = .string(s.lowercased()) }
            keys.append(key)
        }
        var failure: TemplateError?
        let order = Array(items.indices).sorted { a, b in
            guard let c = Value.pythonCompare(keys[a], keys[b]) else {
                failure = failure ?? error("'<' not supported between instances of '\(keys[a].typeName)' and '\(keys[b].typeName)'", at: location)
                return a < b
            }
            if c == 0 { return a < b }
            return reverse ? c > 0 : c < 0
        }
        if let failure { throw failure }
        return order.map { items[$0] }
    }
}

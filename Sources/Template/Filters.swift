/// The filters a template may use, resolved at parse time so an unknown filter is a syntax
/// error with a did-you-mean, never a surprise at render time.
enum FilterName: String, CaseIterable, Sendable {
    case `default`, upper, lower, title, capitalize, trim, replace, truncate, wordcount, length
    case join, first, last, sort, unique, reverse, list, map, select, reject, selectattr, rejectattr
    case tojson, indent, round, int, float, string, slug, items, abs, safe, escape, dictsort, batch
    case center, attr, format
    // Report filters (Filters+Numbers.swift).
    case sum, average, min, max, groupby, group_by, format_number, percent

    /// A filter by name, with jinja2's aliases (`d`, `count`, `e`).
    static func lookup(_ word: String) -> FilterName? {
        switch word {
        case "d": return .default
        case "count": return .length
        case "e": return .escape
        default: return FilterName(rawValue: word)
        }
    }

    static var allNames: [String] { allCases.map(\.rawValue) + ["d", "count", "e"] }
}

/// A filter's evaluated arguments: positional values and keyword values by name.
struct FilterArguments {
    var positional: [RuntimeValue]
    var keywords: [String: RuntimeValue]

    /// The argument at `index` or named `name`, if given.
    func get(_ index: Int, _ name: String) -> RuntimeValue? {
        if index < positional.count { return positional[index] }
        return keywords[name]
    }
}

extension Renderer {
    func applyFilter(_ call: FilterCall, to value: RuntimeValue) throws(TemplateError) -> RuntimeValue {
        var positional: [RuntimeValue] = []
        positional.reserveCapacity(call.arguments.count)
        for argument in call.arguments { positional.append(try evaluate(argument)) }
        var keywords: [String: RuntimeValue] = [:]
        for keyword in call.keywords { keywords[keyword.name] = try evaluate(keyword.value) }
        return try applyFilter(call.filter, to: value, FilterArguments(positional: positional, keywords: keywords), at: call.location)
    }

    func applyFilter(_ filter: FilterName, to value: RuntimeValue, _ args: FilterArguments, at location: SourceLocation) throws(TemplateError) -> RuntimeValue {
        switch filter {
        case .default:
            let fallback = args.get(0, "default_value") ?? .value(.string(""))
            let boolean = try args.get(1, "boolean").map { arg throws(TemplateError) in try truth(arg) } ?? false
            if value.isUndefined { return fallback }
            if boolean, !(try truth(value)) { return fallback }
            return value
        case .items:
            if case .undefined(let u) = value {
                if isStrict(u) { throw error(u) }
                return .value(.list([]))
            }
            guard case .dict(let d) = try plain(value) else { throw error("items filter needs a mapping, not \(try plain(value).typeName)", at: location) }
            return .value(.list(zip(d.keys, d.values).map { .list([.string($0), $1]) }))
        case .safe:
            return value
        case .format:
            let text = try string(value)
            var positional: [Value] = []
            for argument in args.positional { positional.append(try plain(argument)) }
            var named = ValueDictionary()
            for key in args.keywords.keys.sorted() { named[key] = try plain(args.keywords[key] ?? .value(.none)) }
            do {
                return .value(.string(try PythonPercentFormat.format(text, positional, named: named.isEmpty ? nil : named, maxBytes: meter.budget.outputBytes)))
            } catch {
                throw self.error(error.message, at: location)
            }
        case .tojson:
            let indent = try args.get(0, "indent").map { a throws(TemplateError) in try plain(a) }
            if case .undefined(let u) = value { throw error(isStrict(u) ? message(u) : "Object of type Undefined is not JSON serializable", at: isStrict(u) ? u.location : location) }
            var indentWidth: Int?
            // Python's json: a negative indent is no indentation (newlines only).
            if let indent, case .int(let n) = indent { indentWidth = max(0, n) }
            let data = try plain(value)
            if let indentWidth, indentWidth > 0 {
                // Each line is indented by `indent` per nesting level: bound the total before writing.
                let (perLine, o1) = indentWidth.multipliedReportingOverflow(by: JSONWriter.depth(of: data))
                let (total, o2) = perLine.multipliedReportingOverflow(by: JSONWriter.lines(of: data))
                if let reason = meter.string(o1 || o2 ? Int.max : total) { throw overBudget("|tojson", reason, at: location) }
            }
            // `ensure_ascii=false` (Baton's keyword; jinja2 takes it as the `json.dumps_kwargs`
            // policy) keeps Korean and other non-ASCII text readable in the JSON files a run writes.
            let ensureASCII = try args.keywords["ensure_ascii"].map { a throws(TemplateError) in try truth(a) } ?? true
            return .value(.string(JSONWriter.pythonJSON(data, indent: indentWidth, asciiOnly: ensureASCII)))
        default:
            break
        }
        let input = try plain(value)
        switch filter {
        case .upper, .lower, .title, .capitalize, .trim, .replace, .truncate, .wordcount, .indent, .slug, .escape, .center, .string:
            return .value(try stringFilter(filter, input, args, at: location))
        case .int, .float, .round, .abs, .sum, .average, .min, .max, .format_number, .percent:
            return try numberFilter(filter, input, args, at: location)
        default:
            return try collectionFilter(filter, input, args, at: location)
        }
    }

    /// A plain argument value (strict undefined arguments are errors).
    func argument(_ args: FilterArguments, _ index: Int, _ name: String) throws(TemplateError) -> Value? {
        guard let value = args.get(index, name) else { return nil }
        return try plain(value)
    }

    func intArgument(_ args: FilterArguments, _ index: Int, _ name: String, default fallback: Int, at location: SourceLocation) throws(TemplateError) -> Int {
        guard let value = try argument(args, index, name) else { return fallback }
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d.rounded() == d && abs(d) < 1e18: return Int(d)
        default: throw error("argument '\(name)' must be an integer, not \(value.typeName)", at: location)
        }
    }

    func boolArgument(_ args: FilterArguments, _ index: Int, _ name: String) throws(TemplateError) -> Bool {
        guard let value = args.get(index, name) else { return false }
        return try truth(value)
    }

    func stringArgument(_ args: FilterArguments, _ index: Int, _ name: String) throws(TemplateError) -> String? {
        guard let value = args.get(index, name) else { return nil }
        return try string(value)
    }
}

/// Secret tracking (`SecretTaint`): every expression evaluated while a run has secrets goes
/// through here, and a result computed from a tainted value is recorded as tainted itself.
extension Renderer {
    func evaluate(_ expression: Expression) throws(TemplateError) -> RuntimeValue {
        guard let taint else { return try evaluateExpression(expression) }
        let before = taintReads.count
        switch expression {
        case .literal:
            return try evaluateExpression(expression)
        case .name, .and, .or, .conditional:
            // A value read or chosen, not computed: tainted only if it is a string holding a
            // secret. A container is not scanned at every mention (`steps` in a loop would be
            // read whole each time); what is computed from it is checked instead (`mark`).
            let value = try evaluateExpression(expression)
            taintReads.count = before
            if case .value(.string(let text)) = value, taintReads.patterns.contains(text) { taintReads.count += 1 }
            return value
        case .attribute(let target, let name, let location):
            let base = try evaluate(target)
            let fromSecretText = taintReads.count != before && base.isString
            taintReads.count = before
            let value = named(try attribute(base, name, at: location), owner: target)
            return mark(value, derived: fromSecretText, taint, scanningContainers: false)
        case .item(let target, let index, let location):
            let base = try evaluate(target)
            let fromSecretText = taintReads.count != before && base.isString
            let key = try evaluate(index)
            taintReads.count = before
            let value = named(try item(base, key, at: location), owner: target)
            return mark(value, derived: fromSecretText, taint, scanningContainers: false)
        default:
            // Operators, filters, calls, slices, list and dict literals: computed from their operands.
            let value = try evaluateExpression(expression)
            return mark(value, derived: taintReads.count != before, taint)
        }
    }

    /// Counts `value` as a tainted read when it was derived from a secret (and records it) or
    /// holds a tracked string. A container read by `.name` or `[key]` is not scanned (in a loop
    /// over `rows[i]` that would read the whole table each time); what is computed from it is.
    private func mark(_ value: RuntimeValue, derived: Bool, _ taint: SecretTaint, scanningContainers: Bool = true) -> RuntimeValue {
        if derived {
            if case .value(let plain) = value {
                taint.absorb(plain)
                taintReads.patterns = taint.patterns
            }
            taintReads.count += 1
        } else if case .value(let plain) = value {
            let holds: Bool
            switch plain {
            case .string(let text): holds = taintReads.patterns.contains(text)
            case .list, .dict: holds = scanningContainers && taintReads.patterns.contains(plain)
            default: holds = false
            }
            if holds { taintReads.count += 1 }
        }
        return value
    }
}

extension RuntimeValue {
    /// Whether this is a plain string (a piece read out of a secret string is secret).
    var isString: Bool { if case .value(.string) = self { return true } else { return false } }
}

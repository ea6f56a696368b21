/// Python's integer arithmetic on 64-bit integers: the same results wherever they fit, and `nil`
/// where Python would give an integer beyond 64 bits (the caller reports an overflow at the
/// operator's line:column). Nothing here traps: Swift's `Int.min / -1`, `Int.min % -1`, `-Int.min`
/// and `abs(Int.min)` all would.
enum PythonInteger {
    /// `x // y` (floor division); `y` is not zero.
    static func floorDivide(_ x: Int, _ y: Int) -> Int? {
        if y == -1 { return x == Int.min ? nil : -x }
        var q = x / y
        if x % y != 0, (x < 0) != (y < 0) { q -= 1 }
        return q
    }

    /// `x % y` (the sign of the divisor); `y` is not zero.
    static func modulo(_ x: Int, _ y: Int) -> Int {
        if y == -1 || y == 1 { return 0 }
        let r = x % y
        return r != 0 && (r < 0) != (y < 0) ? r + y : r
    }

    /// `-x`.
    static func negate(_ x: Int) -> Int? {
        let (result, overflow) = Int(0).subtractingReportingOverflow(x)
        return overflow ? nil : result
    }

    /// `abs(x)`.
    static func abs(_ x: Int) -> Int? { x == Int.min ? nil : Swift.abs(x) }

    /// `x ** y` for `y >= 0`, by squaring: at most 64 multiplications, whatever `y` is.
    static func power(_ x: Int, _ y: Int) -> Int? {
        // Bases whose powers never grow: answered without looping over a huge exponent.
        switch x {
        case 0: return y == 0 ? 1 : 0
        case 1: return 1
        case -1: return y & 1 == 0 ? 1 : -1
        default: break
        }
        var result = 1, base = x, exponent = y
        while exponent > 0 {
            if exponent & 1 == 1 {
                let (next, overflow) = result.multipliedReportingOverflow(by: base)
                if overflow { return nil }
                result = next
            }
            exponent >>= 1
            if exponent > 0 {
                let (square, overflow) = base.multipliedReportingOverflow(by: base)
                if overflow { return nil }
                base = square
            }
        }
        return result
    }

    /// `int(x)` for a finite float: truncated toward zero; nil when it is beyond 64 bits.
    static func truncating(_ x: Double) -> Int? {
        guard x.isFinite else { return nil }
        let t = x.rounded(.towardZero)
        // 2^63 is exact as a Double; every Double below it in magnitude converts.
        guard t >= -9_223_372_036_854_775_808.0, t < 9_223_372_036_854_775_808.0 else { return nil }
        return Int(t)
    }
}

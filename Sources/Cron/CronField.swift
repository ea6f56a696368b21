/// One of the five fields of a cron expression, with its range and names.
enum CronField: Int, CaseIterable, Sendable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in messages.
    var name: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Smallest accepted value.
    var low: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: 0
        case .dayOfMonth, .month: 1
        }
    }

    /// Largest accepted value; day-of-week accepts 7 as another Sunday.
    var high: Int {
        switch self {
        case .minute: 59
        case .hour: 23
        case .dayOfMonth: 31
        case .month: 12
        case .dayOfWeek: 7
        }
    }

    /// Names accepted in place of numbers (case-insensitive), in value order from `low`.
    var names: [String] {
        switch self {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// What to write instead, shown after an unknown name.
    var accepted: String {
        switch self {
        case .month: "1-12 or JAN-DEC"
        case .dayOfWeek: "0-7 or SUN-SAT"
        default: "\(low)-\(high)"
        }
    }

    /// The numeric value of a number or name, if it is one.
    func value(of token: Substring) -> Int? {
        if !token.isEmpty, token.allSatisfy({ $0.isASCII && $0.isNumber }) { return Int(token) ?? Int.max }
        if let index = names.firstIndex(of: token.uppercased()) { return low + index }
        return nil
    }
}

/// A set of values of one field as a bit mask (bit n set = value n matches).
struct CronBits: Sendable, Equatable {
    var mask: UInt64 = 0

    func contains(_ value: Int) -> Bool { mask & (1 << UInt64(value)) != 0 }

    mutating func insert(_ value: Int) { mask |= 1 << UInt64(value) }

    /// The smallest member that is >= `value`, if any.
    func first(atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = mask >> UInt64(value)
        return rest == 0 ? nil : value + rest.trailingZeroBitCount
    }
}

import Foundation

/// C's `printf` for one double (`%.*f`, `%.*e`, `%.*g`), which formats exactly as Python's float
/// formatting does (the exact binary value, ties to even). The buffer is sized from the precision,
/// so a precision of 400 gives all its digits; a precision whose text would be larger than the
/// render budget allows gives nil before anything is allocated.
enum CFormat {
    /// `%{flags}.{precision}{conversion}` of `x`; nil when the text would exceed `maxBytes`.
    static func double(_ x: Double, flags: String = "", precision: Int, conversion: Unicode.Scalar, maxBytes: Int) -> String? {
        let precision = Swift.max(0, precision)
        // At most 309 integer digits, a sign, a point, an exponent and the precision's digits.
        let bound = precision.addingReportingOverflow(400)
        guard !bound.overflow, bound.partialValue <= Int(Int32.max), precision <= maxBytes else { return nil }
        let format = "%" + flags + ".*" + String(conversion)
        var buffer = [CChar](repeating: 0, count: bound.partialValue)
        let written = withVaList([Int32(precision), x]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
        }
        guard written >= 0, Int(written) < buffer.count else { return nil }
        return String(decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

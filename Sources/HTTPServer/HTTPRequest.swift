/// One parsed HTTP/1.x request: the request line, the headers as sent, and the whole body
/// (fixed-length or de-chunked).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target as sent: `/runs?status=waiting`.
    public var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String = "HTTP/1.1"
    /// Header fields in order; names as sent (compare with `header(_:)`, case-insensitively).
    public var headers: [(name: String, value: String)] = []
    public var body: [UInt8] = []

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The first value of a header, its name compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The path without the query, percent-decoded (`nil` when the decoding is not valid UTF-8).
    public var path: String? {
        let raw = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        return FormData.percentDecode(raw, plusIsSpace: false)
    }

    /// The query's `name=value` pairs, decoded.
    public var query: [String: String] {
        guard let mark = target.firstIndex(of: "?") else { return [:] }
        return FormData.parse(String(target[target.index(after: mark)...]))
    }

    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" { return connection.contains("keep-alive") }
        return !connection.contains("close")
    }
}

/// `application/x-www-form-urlencoded` and query strings.
public enum FormData {
    /// `a=1&b=%ED%95%9C` as a dictionary (a later duplicate wins); undecodable pairs are dropped.
    public static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(String(parts[0]), plusIsSpace: true) else { continue }
            let value = parts.count > 1 ? percentDecode(String(parts[1]), plusIsSpace: true) : ""
            if let value { result[name] = value }
        }
        return result
    }

    /// Decodes `%XX` escapes (and `+` as a space in forms); `nil` for a bad escape or bytes that
    /// are not UTF-8.
    public static func percentDecode(_ text: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

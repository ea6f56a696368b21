/// Reads one HTTP/1.x request from a `ByteReader`, strictly and within `HTTPLimits`: a request
/// line `METHOD SP origin-form SP HTTP/1.x`, header fields without obsolete line folding, and a
/// body given by `Content-Length` or `Transfer-Encoding: chunked` (never both: a request that
/// could be read two ways is refused, as request smuggling relies on that).
public enum HTTPParser {
    /// The next request, or `nil` when the peer closed cleanly between requests.
    public static func read<Source: ByteSource>(_ reader: inout ByteReader<Source>, limits: HTTPLimits) throws(HTTPError) -> HTTPRequest? {
        guard try reader.hasMore() else { return nil }
        var line = try reader.line(limit: limits.requestLine, tooLong: .uriTooLong)
        // One empty line before a request is tolerated (RFC 9112 §2.2).
        if line.isEmpty { line = try reader.line(limit: limits.requestLine, tooLong: .uriTooLong) }
        var request = try requestLine(line)
        var total = 0
        while true {
            let field = try reader.line(limit: limits.headerBytes, tooLong: .headersTooLarge)
            if field.isEmpty { break }
            total += field.count + 2
            if total > limits.headerBytes || request.headers.count >= limits.headerCount { throw .headersTooLarge }
            request.headers.append(try header(field))
        }
        if request.version == "HTTP/1.1", request.header("Host") == nil { throw .badRequest("HTTP/1.1 requires a Host header") }
        request.body = try body(&reader, request, limits: limits)
        return request
    }

    static func requestLine(_ line: [UInt8]) throws(HTTPError) -> HTTPRequest {
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else { throw .badRequest("malformed request line") }
        guard parts[0].allSatisfy(isTokenByte) else { throw .badRequest("malformed method") }
        let target = parts[1]
        guard target.first == UInt8(ascii: "/") || (target.count == 1 && target.first == UInt8(ascii: "*")),
              target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .badRequest("the target must be a path (origin-form) of visible ASCII")
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/"), version.count == 8 { throw .unsupportedVersion(version) }
            throw .badRequest("malformed HTTP version")
        }
        return HTTPRequest(method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: target, as: UTF8.self), version: version)
    }

    static func header(_ field: [UInt8]) throws(HTTPError) -> (name: String, value: String) {
        guard let first = field.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
            throw .badRequest("obsolete line folding is not accepted")
        }
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .badRequest("a header field without a name") }
        let name = field[..<colon]
        guard name.allSatisfy(isTokenByte) else { throw .badRequest("malformed header name") }
        var value = field[(colon + 1)...]
        while let byte = value.first, byte == 0x20 || byte == 0x09 { value = value.dropFirst() }
        while let byte = value.last, byte == 0x20 || byte == 0x09 { value = value.dropLast() }
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else { throw .badRequest("control character in a header value") }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    static func body<Source: ByteSource>(_ reader: inout ByteReader<Source>, _ request: HTTPRequest, limits: HTTPLimits) throws(HTTPError) -> [UInt8] {
        let lengths = request.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        let codings = request.headers.filter { $0.name.lowercased() == "transfer-encoding" }.map(\.value)
        if !codings.isEmpty {
            guard lengths.isEmpty else { throw .badRequest("both Content-Length and Transfer-Encoding") }
            let coding = codings.joined(separator: ",").lowercased().split(separator: ",").map { $0.trimmingSpaces }
            guard coding == ["chunked"] else { throw .notImplemented(codings.joined(separator: ", ")) }
            return try chunked(&reader, limits: limits)
        }
        guard let text = lengths.first else { return [] }
        guard lengths.allSatisfy({ $0 == text }), !text.isEmpty, text.count <= 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let length = Int(text) else {
            throw .badRequest("invalid Content-Length")
        }
        guard length <= limits.body else { throw .bodyTooLarge(limit: limits.body) }
        return try reader.bytes(length)
    }

    static func chunked<Source: ByteSource>(_ reader: inout ByteReader<Source>, limits: HTTPLimits) throws(HTTPError) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = try reader.line(limit: 1024, tooLong: .badRequest("chunk size line too long"))
            let digits = line.prefix { $0 != UInt8(ascii: ";") }
            guard !digits.isEmpty, digits.count <= 8 else { throw .badRequest("invalid chunk size") }
            var size = 0
            for digit in digits {
                guard let value = FormData.hexValue(digit) else { throw .badRequest("invalid chunk size") }
                size = size * 16 + Int(value)
            }
            if size == 0 { break }
            guard body.count + size <= limits.body else { throw .bodyTooLarge(limit: limits.body) }
            body += try reader.bytes(size)
            guard try reader.line(limit: 1, tooLong: .badRequest("chunk data longer than its size")).isEmpty else {
                throw .badRequest("chunk data longer than its size")
            }
        }
        var trailers = 0
        while try !reader.line(limit: limits.headerBytes, tooLong: .headersTooLarge).isEmpty {
            trailers += 1
            if trailers > limits.headerCount { throw .headersTooLarge }
        }
        return body
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

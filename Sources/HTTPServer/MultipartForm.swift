/// `multipart/form-data` bodies (forms with file uploads), split into their parts.
public enum MultipartForm {
    /// One field or file of the form.
    public struct Part: Sendable, Equatable {
        public var name: String
        /// Set for a file field (possibly empty when no file was chosen).
        public var filename: String?
        public var data: [UInt8]
    }

    /// The parts of `body`, or `nil` when `contentType` is not multipart/form-data with a
    /// boundary or the body does not follow it (a part without its name, no closing delimiter).
    public static func parse(_ body: [UInt8], contentType: String) -> [Part]? {
        let fields = contentType.split(separator: ";").map { $0.trimmingSpaces }
        guard fields.first?.lowercased() == "multipart/form-data",
              var boundary = fields.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") }).map({ String($0.dropFirst(9)) }) else {
            return nil
        }
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        guard !boundary.isEmpty, boundary.utf8.count <= 70 else { return nil }
        let opening = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard var position = find(opening, in: body, from: 0) else { return nil }
        position += opening.count
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, "\r\n" starts a part.
            if body.count >= position + 2, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { return parts }
            guard body.count >= position + 2, body[position] == 13, body[position + 1] == 10 else { return nil }
            position += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: position),
                  let next = find(delimiter, in: body, from: headerEnd + 4) else { return nil }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            guard let disposition = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let name = parameter("name", in: String(disposition)) else { return nil }
            parts.append(Part(name: name, filename: parameter("filename", in: String(disposition)), data: Array(body[(headerEnd + 4)..<next])))
            position = next + delimiter.count
        }
    }

    /// `name="value"` from a header line.
    static func parameter(_ key: String, in line: String) -> String? {
        for field in line.split(separator: ";").dropFirst() {
            let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}

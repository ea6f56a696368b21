/// Where request bytes come from: a socket, or an array in tests.
public protocol ByteSource {
    /// Reads up to `count` bytes; an empty array at the end of the stream.
    mutating func read(upTo count: Int) throws(HTTPError) -> [UInt8]
}

/// An in-memory source (tests, fuzzing the parser without a socket).
public struct ArraySource: ByteSource {
    var bytes: [UInt8]
    var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public mutating func read(upTo count: Int) throws(HTTPError) -> [UInt8] {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Buffers a `ByteSource` and hands out lines and byte runs, each bounded by a limit.
public struct ByteReader<Source: ByteSource> {
    var source: Source
    var buffer: [UInt8] = []
    var start = 0
    var ended = false

    public init(_ source: Source) { self.source = source }

    /// Whether nothing is buffered and the source has ended.
    var atEnd: Bool { start == buffer.count && ended }

    /// Reads more into the buffer; false at the end of the stream.
    private mutating func fill() throws(HTTPError) -> Bool {
        if ended { return false }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        let more = try source.read(upTo: 16 * 1024)
        if more.isEmpty {
            ended = true
            return false
        }
        buffer += more
        return true
    }

    /// Whether a byte is ready or can be read (false: the peer closed before sending anything).
    public mutating func hasMore() throws(HTTPError) -> Bool {
        if start < buffer.count { return true }
        return try fill()
    }

    /// The next line without its `\r\n` (a bare `\n` is accepted); `tooLong` when `limit` bytes
    /// pass without a line end, `.closed` when the stream ends first.
    public mutating func line(limit: Int, tooLong: HTTPError) throws(HTTPError) -> [UInt8] {
        var offset = 0  // bytes after `start` already scanned (the buffer may move under `fill`)
        while true {
            while start + offset < buffer.count {
                let index = start + offset
                if buffer[index] == UInt8(ascii: "\n") {
                    var end = index
                    if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = Array(buffer[start..<end])
                    start = index + 1
                    return line
                }
                offset += 1
                if offset > limit { throw tooLong }
            }
            guard try fill() else { throw .closed }
        }
    }

    /// Exactly `count` bytes.
    public mutating func bytes(_ count: Int) throws(HTTPError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if start == buffer.count { guard try fill() else { throw .closed } }
            let take = min(count - out.count, buffer.count - start)
            out += buffer[start..<(start + take)]
            start += take
        }
        return out
    }
}

import FuzzDriver
import HTTPServer

/// Bytes a client sent to `baton serve`: read as a stream of pipelined HTTP/1.x requests (request
/// line, header fields, `Content-Length` or chunked bodies) under small limits, delivered in
/// reads of 1 to 16 bytes (the first input byte picks the size) so every line and body straddles
/// the reader's buffer refills. Each request is then taken apart as the server's handlers do:
/// path, query, keep-alive, and the body as a form or as `multipart/form-data`. Requests or an
/// `HTTPError`, never a trap, a read out of bounds or an unbounded allocation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    var reader = ByteReader(DribbleSource(bytes: Array(bytes.dropFirst()), step: 1 + Int(first % 16)))
    var limits = HTTPLimits()
    limits.requestLine = 256
    limits.headerBytes = 1024
    limits.headerCount = 16
    limits.body = 4096
    // At most 64 requests: each one consumes at least a line, so the loop ends anyway.
    for _ in 0..<64 {
        let request: HTTPRequest?
        do { request = try HTTPParser.read(&reader, limits: limits) } catch { _ = (error.status, error.description); break }
        guard let request else { break }
        _ = (request.path, request.query, request.keepAlive, request.header("Host"))
        if let type = request.header("Content-Type") {
            if type.lowercased().hasPrefix("multipart/") {
                _ = MultipartForm.parse(request.body, contentType: type)
            } else {
                _ = FormData.parse(String(decoding: request.body, as: UTF8.self))
            }
        }
    }
    return 0
}

/// The input in reads of `step` bytes, as a slow client's socket delivers it.
struct DribbleSource: ByteSource {
    var bytes: [UInt8]
    var step: Int
    var offset = 0

    mutating func read(upTo count: Int) throws(HTTPError) -> [UInt8] {
        let end = min(bytes.count, offset + min(count, step))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

@_cdecl("FuzzHTTP_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzHTTP)
}

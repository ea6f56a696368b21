import Testing
@testable import HTTPServer

/// The parser over in-memory bytes: what it accepts, and the status each malformed request gets.
@Suite struct HTTPParserTests {
    static func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) throws(HTTPError) -> HTTPRequest? {
        var reader = ByteReader(ArraySource(Array(text.utf8)))
        return try HTTPParser.read(&reader, limits: limits)
    }

    @Test func readsAFormPostWithItsBody() throws {
        let request = try #require(try Self.parse("POST /reviews/r1/approval?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 30\r\n\r\nnote=%ED%95%9C%EA%B8%80+ok&a=b"))
        #expect(request.method == "POST")
        #expect(request.path == "/reviews/r1/approval")
        #expect(request.query == ["x": "1"])
        #expect(FormData.parse(String(decoding: request.body, as: UTF8.self)) == ["note": "한글 ok", "a": "b"])
        #expect(request.keepAlive)
    }

    @Test func readsChunkedBodiesAndPipelinedRequests() throws {
        var reader = ByteReader(ArraySource(Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: 1\r\n\r\nGET /two HTTP/1.0\r\n\r\n".utf8)))
        let first = try #require(try HTTPParser.read(&reader, limits: HTTPLimits()))
        #expect(String(decoding: first.body, as: UTF8.self) == "hello world")
        let second = try #require(try HTTPParser.read(&reader, limits: HTTPLimits()))
        #expect(second.target == "/two")
        #expect(!second.keepAlive)
        #expect(try HTTPParser.read(&reader, limits: HTTPLimits()) == nil)
    }

    @Test func splitsAMultipartFormIntoFieldsAndFiles() throws {
        let body = Array("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file.brief\"; filename=\"브리프.md\"\r\nContent-Type: text/markdown\r\n\r\n# 브리프\r\n--X\r\n--XyZ--\r\n".utf8)
        let parts = try #require(MultipartForm.parse(body, contentType: "multipart/form-data; boundary=\"XyZ\""))
        #expect(parts.map(\.name) == ["csrf", "file.brief"])
        #expect(String(decoding: parts[0].data, as: UTF8.self) == "abc")
        #expect(parts[1].filename == "브리프.md")
        #expect(String(decoding: parts[1].data, as: UTF8.self) == "# 브리프\r\n--X")
        #expect(MultipartForm.parse(Array("--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--".utf8), contentType: "multipart/form-data; boundary=XyZ") == nil)
        #expect(MultipartForm.parse(Array("--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nno end".utf8), contentType: "multipart/form-data; boundary=XyZ") == nil)
        #expect(MultipartForm.parse(body, contentType: "application/x-www-form-urlencoded") == nil)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400),                                                     // no Host
        ("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),                                          // two spaces
        ("GET http://x/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),                                   // absolute-form
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: a\r\n\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: \(String(repeating: "b", count: 40000))\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", 400),                 // truncated body
    ])
    func refusesMalformedRequests(_ text: String, _ status: Int) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted: \(text.prefix(80))")
        } catch {
            #expect(error.status == status, "\(text.prefix(80)): \(error)")
        }
    }
}

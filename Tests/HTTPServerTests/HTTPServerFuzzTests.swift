import Base
import Foundation
import Testing
@testable import HTTPServer

/// The real server on loopback against malformed input: no crash, no hang, and it still answers.
@Suite struct HTTPServerFuzzTests {
    static func server() throws -> HTTPServer {
        var limits = HTTPLimits()
        limits.readTimeout = .seconds(2)
        limits.idleTimeout = .seconds(1)
        limits.body = 64 * 1024
        let server = try HTTPServer(host: "127.0.0.1", port: 0, limits: limits) { request in
            .text("ok \(request.method) \(request.path ?? "?") \(request.body.count)\n")
        }
        server.start()
        return server
    }

    /// A valid request, mutated by a seeded generator: bytes flipped, dropped, duplicated,
    /// control characters and line breaks inserted, lengths and chunk sizes falsified, or cut.
    static func malformed(_ seed: UInt64, count: Int) -> [[UInt8]] {
        var random = SeededGenerator(seed: seed)  // seeded, so a failing case can be replayed
        let bases = [
            "GET /runs?status=waiting HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ko\r\n\r\n",
            "POST /reviews/r/s HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nnote=hello!",
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n",
        ].map { Array($0.utf8) }
        let inserts: [[UInt8]] = [[0], [13], [10], [13, 10], [32], [9], Array(":".utf8), Array("Content-Length: 5\r\n".utf8),
                                  Array("Transfer-Encoding: chunked\r\n".utf8), Array("ffffffff\r\n".utf8), [0xFF, 0xFE], Array("한".utf8)]
        return (0..<count).map { _ in
            var bytes = bases[Int(random.next() % UInt64(bases.count))]
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let at = Int(random.next() % UInt64(bytes.count + 1))
                switch random.next() % 5 {
                case 0: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: random.next()) }
                case 1: if at < bytes.count { bytes.remove(at: at) }
                case 2: bytes.insert(contentsOf: inserts[Int(random.next() % UInt64(inserts.count))], at: at)
                case 3: bytes = Array(bytes.prefix(at))
                default: bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "A"), count: Int(random.next() % 70_000)), at: at)
                }
            }
            return bytes
        }
    }

    @Test func twoThousandMalformedRequestsLeaveTheServerAnswering() throws {
        let server = try Self.server()
        defer { server.stop(grace: .seconds(2)) }
        let requests = Self.malformed(2026, count: 2000)
        let clock = ContinuousClock()
        let start = clock.now
        var answered = 0
        var statuses: [String: Int] = [:]
        for bytes in requests {
            let client = try LoopbackClient(port: server.port)
            client.send(bytes)
            client.finishSending()
            let reply = client.readAll()
            client.closeConnection()
            if reply.hasPrefix("HTTP/1.1 ") {
                answered += 1
                statuses[String(reply.dropFirst(9).prefix(3)), default: 0] += 1
            }
        }
        // No hang: each malformed request ends at once (the client's end of stream, or the
        // parser's refusal); 2,000 take seconds, not the timeouts' minutes.
        #expect(clock.now - start < .seconds(120))
        #expect(answered > 1000, "\(statuses)")
        #expect(statuses["400", default: 0] > 100, "\(statuses)")
        let client = try LoopbackClient(port: server.port)
        client.send(Array("GET /still-here HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".utf8))
        #expect(client.readAll().hasSuffix("\r\n\r\nok GET /still-here 0\n"))
        client.closeConnection()
    }

    @Test func keepsConnectionsAliveAndRefusesOversizedBodies() throws {
        let server = try Self.server()
        defer { server.stop(grace: .seconds(2)) }
        let client = try LoopbackClient(port: server.port)
        client.send(Array("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(client.read(until: "ok GET /a 0\n").contains("Connection: keep-alive\r\n"))
        client.send(Array("POST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".utf8))
        #expect(client.read(until: "ok POST /b 3\n").hasSuffix("ok POST /b 3\n"))
        client.send(Array("POST /c HTTP/1.1\r\nHost: a\r\nContent-Length: 999999\r\n\r\n".utf8))
        #expect(client.readAll().hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
        client.closeConnection()
    }
}

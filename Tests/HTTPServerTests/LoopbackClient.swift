import HTTPServer

/// A raw TCP client for tests: sends exact bytes (malformed ones included) and reads the answer
/// as text.
struct LoopbackClient {
    let connection: LoopbackConnection

    init(port: Int, timeout: Int = 5) throws {
        connection = try LoopbackConnection(port: port, timeout: timeout)
    }

    func send(_ bytes: [UInt8]) { connection.send(bytes) }

    /// Says "no more bytes" (the server sees the end of the stream).
    func finishSending() { connection.finishSending() }

    /// Everything until the server closes (or the timeout passes).
    func readAll() -> String { String(decoding: connection.receiveAll(), as: UTF8.self) }

    /// Reads until `marker` appears (one response on a kept-alive connection).
    func read(until marker: String) -> String {
        var out: [UInt8] = []
        while !String(decoding: out, as: UTF8.self).contains(marker), let chunk = connection.receive(limit: 4096) { out += chunk }
        return String(decoding: out, as: UTF8.self)
    }

    func closeConnection() { connection.close() }
}
